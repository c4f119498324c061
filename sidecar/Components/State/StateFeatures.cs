namespace Sidecar.Components.State;

/// <summary>The features a state store reports in metadata, spelled as daprd spells them.</summary>
public static class StateFeatures
{
    public const string ETag = "ETAG";
    public const string Transactional = "TRANSACTIONAL";
    public const string Ttl = "TTL";

    /// <summary>
    /// What the built-in stores and <c>state.redis</c> support. TRANSACTIONAL says nothing of rollback, as in daprd:
    /// the in-memory and SQLite stores apply a transaction all or nothing, Redis runs every operation and rolls none back.
    /// </summary>
    public static readonly IReadOnlyList<string> BuiltIn = [ETag, Transactional, Ttl];
}
