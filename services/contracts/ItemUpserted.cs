namespace Contracts;

/// <summary>Published by catalog on topic <c>items</c> (type <c>item.upserted</c>) after an item is created or replaced.</summary>
public sealed record ItemUpserted(string Id, string Name, decimal Price, int Stock);
