namespace Sidecar.Components.Locks;

/// <summary>
/// How daprd names a lock in its store, from the component's <c>keyPrefix</c> metadata (any case, value lowercased):
/// <c>appid</c> (the default) → <c>lock||{appId}||{resourceId}</c> (<c>lock||{resourceId}</c> without an app id),
/// <c>name</c> → <c>lock||{storeName}||{resourceId}</c>, <c>none</c> → <c>lock||{resourceId}</c>, anything else is a
/// fixed prefix → <c>lock||{prefix}||{resourceId}</c>. Neither the prefix nor the resource id may contain <c>||</c>.
/// </summary>
// dapr/dapr pkg/components/lock/lock_config.go SaveLockConfiguration, GetModifiedLockKey
public sealed record LockKeyPrefix(string Strategy)
{
    private const string MetadataKey = "keyPrefix";
    private const string ApiPrefix = "lock";
    private const string Separator = "||";

    /// <summary>The strategy of <paramref name="definition"/>; a prefix containing <c>||</c> fails the start, as in daprd.</summary>
    public static LockKeyPrefix From(ComponentDefinition definition)
    {
        var value = definition.Metadata.FirstOrDefault(m => string.Equals(m.Key, MetadataKey, StringComparison.OrdinalIgnoreCase)).Value;
        var strategy = value is null ? "appid" : value.ToLowerInvariant();
        if (strategy.Contains(Separator, StringComparison.Ordinal))
        {
            throw new ResourceLoadException(
                $"{definition.Location}: component '{definition.Name}' ({definition.Type}) failed to save lock keyprefix: input key/keyPrefix '{strategy}' can't contain '{Separator}'");
        }

        return new LockKeyPrefix(strategy);
    }

    /// <summary>The stored key of <paramref name="resourceId"/>, or the reason it is refused.</summary>
    public bool TryApply(string resourceId, string storeName, string appId, out string key, out string? problem)
    {
        key = "";
        if (resourceId.Contains(Separator, StringComparison.Ordinal))
        {
            problem = $"input key/keyPrefix '{resourceId}' can't contain '{Separator}'";
            return false;
        }

        problem = null;
        key = Strategy switch
        {
            "none" => Join(resourceId),
            "name" => Join(storeName, resourceId),
            "appid" when appId.Length == 0 => Join(resourceId),
            "appid" => Join(appId, resourceId),
            _ => Join(Strategy, resourceId),
        };
        return true;
    }

    private static string Join(params string[] parts) => ApiPrefix + Separator + string.Join(Separator, parts);
}
