namespace Catalog.Infrastructure;

/// <summary>State store keys of the catalog (Dapr prefixes them with the app id).</summary>
internal static class StateKeys
{
    public static string Item(string id) => $"item:{id}";

    public static string Bucket(int bucket) => $"items-index:{bucket:D2}";

    public static string BucketOf(string id) => Bucket(Domain.IndexBuckets.Of(id));
}
