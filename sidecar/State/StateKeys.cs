using Sidecar.Components;
using Sidecar.Components.State;

namespace Sidecar.State;

/// <summary>
/// Stored keys as daprd forms them: <c>{prefix}||{key}</c> where the component's <c>keyPrefix</c> picks the prefix —
/// <c>appid</c> (default), <c>name</c> (the store's name), <c>namespace</c> (<c>{NAMESPACE}.{appId}</c>), <c>none</c>, or
/// a literal. A key containing <c>||</c> is refused so no app can reach into another's keys.
/// </summary>
internal sealed class StateKeys
{
    private const string Separator = "||";
    private readonly string? _prefix;

    public StateKeys(ComponentDefinition store, string appId)
    {
        var strategy = store.Get(StateMetadata.KeyPrefix);
        _prefix = strategy?.ToLowerInvariant() switch
        {
            null or "" or "appid" => appId,
            "name" => store.Name,
            "namespace" => Environment.GetEnvironmentVariable("NAMESPACE") is { Length: > 0 } ns ? $"{ns}.{appId}" : appId,
            "none" => null,
            _ => strategy,
        };
    }

    /// <summary>The stored key for <paramref name="key"/>; throws a malformed-request error when it contains <c>||</c>.</summary>
    public string ToStored(string key)
    {
        if (key.Contains(Separator, StringComparison.Ordinal))
        {
            throw StateErrors.InvalidKey(key).ToException();
        }

        return _prefix is null ? key : _prefix + Separator + key;
    }

    /// <summary>The key as the app knows it.</summary>
    public string FromStored(string stored) =>
        _prefix is not null && stored.StartsWith(_prefix + Separator, StringComparison.Ordinal)
            ? stored[(_prefix.Length + Separator.Length)..]
            : stored;
}
