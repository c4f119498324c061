namespace Sidecar.Components.SecretStores;

/// <summary>
/// <c>secretstores.local.env</c>: each environment variable of the sidecar process is a secret of one pair, named
/// without the optional <c>prefix</c>. As components-contrib: <c>DAPR_*</c> and <c>APP_API_TOKEN</c> are never given
/// out, and a variable that is not set is the empty string, not an error.
/// </summary>
internal sealed class LocalEnvSecretStore(string prefix) : ISecretStore
{
    public const string Type = "secretstores.local.env";
    public const string Prefix = "prefix";

    public IReadOnlyList<string> Features => [];

    public static LocalEnvSecretStore Create(ComponentContext context) => new(context.Definition.Get(Prefix) ?? "");

    public ValueTask<IReadOnlyDictionary<string, string>> GetAsync(
        string name, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        var variable = prefix + name;
        var value = IsAllowed(variable) ? Environment.GetEnvironmentVariable(variable) ?? "" : "";
        return ValueTask.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string>(StringComparer.Ordinal) { [name] = value });
    }

    public ValueTask<IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>> GetBulkAsync(
        IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        // Case-insensitive prefix on Windows, where variable names are, as components-contrib does.
        var comparison = OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        var secrets = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            var variable = (string)entry.Key;
            if (prefix.Length > 0 && (variable.Length <= prefix.Length || !variable.StartsWith(prefix, comparison)))
            {
                continue;
            }

            if (!IsAllowed(variable))
            {
                continue;
            }

            var name = variable[prefix.Length..];
            secrets[name] = new Dictionary<string, string>(StringComparer.Ordinal) { [name] = (string?)entry.Value ?? "" };
        }

        return ValueTask.FromResult<IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>>(secrets);
    }

    private static bool IsAllowed(string variable) =>
        !string.Equals(variable, "APP_API_TOKEN", StringComparison.OrdinalIgnoreCase)
        && !variable.StartsWith("DAPR_", StringComparison.OrdinalIgnoreCase);
}
