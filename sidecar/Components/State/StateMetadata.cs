namespace Sidecar.Components.State;

/// <summary>Component and request metadata names of the state building block.</summary>
public static class StateMetadata
{
    /// <summary>Component metadata: this store holds actor and workflow state.</summary>
    public const string ActorStateStore = "actorStateStore";

    /// <summary>Component metadata: <c>appid</c> (default), <c>name</c>, <c>namespace</c>, <c>none</c> or a literal prefix.</summary>
    public const string KeyPrefix = "keyPrefix";

    /// <summary>Request metadata: seconds until the item expires; negative means never.</summary>
    public const string TtlInSeconds = "ttlInSeconds";

    /// <summary>Response metadata: when the item expires, RFC 3339 UTC.</summary>
    public const string TtlExpireTime = "ttlExpireTime";

    /// <summary>Request metadata: the content type of the value.</summary>
    public const string ContentType = "contentType";
}
