namespace Orders.Workflows.Activities;

/// <summary>Input of <see cref="ReserveItemActivity"/>.</summary>
public sealed record ReserveItem(string OrderId, string ItemId, int Quantity);
