namespace Sidecar.Components.State;

/// <summary>The features a state store reports in metadata, spelled as daprd spells them.</summary>
public static class StateFeatures
{
    public const string ETag = "ETAG";
    public const string Transactional = "TRANSACTIONAL";
    public const string Ttl = "TTL";

    /// <summary>What both built-in stores support.</summary>
    public static readonly IReadOnlyList<string> BuiltIn = [ETag, Transactional, Ttl];
}
