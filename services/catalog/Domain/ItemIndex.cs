namespace Catalog.Domain;

/// <summary>
/// All item ids in ordinal order, kept under one state key so the catalog can be listed page by page.
/// Stored as a plain list: a sorted set would come back from JSON with the wrong comparer.
/// </summary>
public sealed record ItemIndex(IReadOnlyList<string> Ids)
{
    public static ItemIndex Empty { get; } = new([]);

    public bool Contains(string id) => Position(id) >= 0;

    public ItemIndex Add(string id)
    {
        var position = Position(id);
        if (position >= 0)
        {
            return this;
        }

        var ids = Ids.ToList();
        ids.Insert(~position, id);
        return new ItemIndex(ids);
    }

    public ItemIndex Remove(string id) =>
        Contains(id) ? new ItemIndex([.. Ids.Where(existing => existing != id)]) : this;

    /// <summary>Up to <paramref name="limit"/> ids after <paramref name="after"/> (from the start when null), and whether more follow.</summary>
    public (IReadOnlyList<string> Page, bool HasMore) PageAfter(string? after, int limit)
    {
        var start = 0;
        if (after is not null)
        {
            var position = Position(after);
            start = position >= 0 ? position + 1 : ~position;
        }

        var page = Ids.Skip(start).Take(limit).ToList();
        return (page, start + page.Count < Ids.Count);
    }

    private int Position(string id)
    {
        var ids = Ids as List<string> ?? [.. Ids];
        return ids.BinarySearch(id, StringComparer.Ordinal);
    }
}
