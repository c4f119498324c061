using System.Text;

namespace Catalog.Domain;

/// <summary>
/// Which bucket of the id index an id belongs to. Spreading the index over buckets means creates and deletes of
/// different items rarely write the same key; listing reads every bucket in one bulk read and merges them in id order.
/// The count is part of the stored data's shape: changing it needs the buckets rebuilt.
/// </summary>
public static class IndexBuckets
{
    public const int Count = 16;

    /// <summary>FNV-1a of the id's UTF-8 bytes: stable across processes and runtimes, unlike string.GetHashCode.</summary>
    public static int Of(string id)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(id))
        {
            hash = unchecked((hash ^ b) * 16777619u);
        }

        return (int)(hash % Count);
    }
}
