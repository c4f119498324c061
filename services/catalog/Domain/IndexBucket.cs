using System.Collections.Immutable;

namespace Catalog.Domain;

/// <summary>
/// One of the <see cref="IndexBuckets.Count"/> keys the id index is spread over: the ids that hash to it, each with the
/// incarnation its entry was written for. An entry is written before the item it lists comes to life, and removed only
/// once that life (or a later one) is seen to have ended, so every live item is listed; an entry may outlive its item
/// for a while, and listing skips such entries.
/// </summary>
public sealed record IndexBucket(ImmutableDictionary<string, long> Entries)
{
    public static IndexBucket Empty { get; } = new(ImmutableDictionary<string, long>.Empty);

    /// <summary>The incarnation listed for <paramref name="id"/>, 0 when it is not listed.</summary>
    public long IncarnationOf(string id) => Entries.GetValueOrDefault(id);

    /// <summary>Lists <paramref name="id"/> for <paramref name="incarnation"/>; an entry never goes back to an older life.</summary>
    public IndexBucket List(string id, long incarnation) =>
        IncarnationOf(id) >= incarnation ? this : new(Entries.SetItem(id, incarnation));

    public IndexBucket Unlist(string id) => new(Entries.Remove(id));
}
