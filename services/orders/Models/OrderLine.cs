namespace Orders.Models;

/// <summary>One line of an order: <paramref name="Quantity"/> units of catalog item <paramref name="ItemId"/>.</summary>
public sealed record OrderLine(string ItemId, int Quantity);
