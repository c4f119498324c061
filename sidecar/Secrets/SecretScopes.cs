using Sidecar.Components;
using Sidecar.Hosting;

namespace Sidecar.Secrets;

/// <summary>
/// <c>spec.secrets.scopes[]</c> of the <c>--config</c> Configuration: per secret store, which secrets the app may
/// read. Same rules as daprd's <c>SecretsScope.IsSecretAllowed</c>: a non-empty <c>allowedSecrets</c> decides alone;
/// otherwise a key in <c>deniedSecrets</c> is refused; otherwise <c>defaultAccess</c> (allow unless <c>deny</c>).
/// A store without a scope allows everything.
/// </summary>
internal sealed class SecretScopes
{

    private readonly Dictionary<string, Scope> _scopes;

    private SecretScopes(Dictionary<string, Scope> scopes) => _scopes = scopes;

    /// <summary>True when the app may read <paramref name="key"/> from <paramref name="store"/>.</summary>
    public bool IsAllowed(string store, string key)
    {
        if (!_scopes.TryGetValue(store, out var scope))
        {
            return true;
        }

        if (scope.Allowed.Count > 0)
        {
            return scope.Allowed.Contains(key);
        }

        return !scope.Denied.Contains(key) && !scope.DenyByDefault;
    }

    /// <summary>Reads the scopes from the configuration file's Configuration; a malformed one fails the start.</summary>
    public static SecretScopes From(ResourceSet resources, SidecarOptions options)
    {
        var scopes = new Dictionary<string, Scope>(StringComparer.Ordinal);
        var configuration = resources.AppliedConfiguration(options.ConfigFile);
        if (configuration?.Spec.GetValueOrDefault("secrets") is not { } secrets)
        {
            return new SecretScopes(scopes);
        }

        var where = $"{configuration.Location}: Configuration '{configuration.Name}'";
        if (secrets is not IReadOnlyDictionary<string, object?> secretsMap)
        {
            throw new ResourceLoadException($"{where}: 'spec.secrets' must be a mapping with 'scopes'");
        }

        var list = secretsMap.GetValueOrDefault("scopes") switch
        {
            null => [],
            IReadOnlyList<object?> items => items,
            _ => throw new ResourceLoadException($"{where}: 'spec.secrets.scopes' must be a list"),
        };
        foreach (var item in list)
        {
            if (item is not IReadOnlyDictionary<string, object?> entry)
            {
                throw new ResourceLoadException($"{where}: each of 'spec.secrets.scopes' must be a mapping with 'storeName'");
            }

            var store = entry.GetValueOrDefault("storeName") as string ?? "";
            var access = entry.GetValueOrDefault("defaultAccess") as string ?? "";
            var denyByDefault = access.ToLowerInvariant() switch
            {
                "" or "allow" => false,
                "deny" => true,
                _ => throw new ResourceLoadException($"{where}: defaultAccess '{access}' of secret store '{store}' must be allow or deny"),
            };
            var scope = new Scope(denyByDefault, Names(entry, "allowedSecrets", where), Names(entry, "deniedSecrets", where));
            if (!scopes.TryAdd(store, scope))
            {
                throw new ResourceLoadException($"{where}: secret store '{store}' has more than one entry in 'spec.secrets.scopes'");
            }
        }

        return new SecretScopes(scopes);
    }

    private static HashSet<string> Names(IReadOnlyDictionary<string, object?> entry, string field, string where) =>
        entry.GetValueOrDefault(field) switch
        {
            null => [],
            IReadOnlyList<object?> names => names.Select(n => n as string
                ?? throw new ResourceLoadException($"{where}: '{field}' must be a list of secret names")).ToHashSet(StringComparer.Ordinal),
            _ => throw new ResourceLoadException($"{where}: '{field}' must be a list of secret names"),
        };

    private sealed record Scope(bool DenyByDefault, HashSet<string> Allowed, HashSet<string> Denied);
}
