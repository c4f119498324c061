using System.Text.Json;

namespace Sidecar.Components.SecretStores;

/// <summary>
/// <c>secretstores.local.file</c>: secrets read once, at start, from the JSON file <c>secretsFile</c>. Nested objects and
/// arrays are flattened into names joined by <c>nestedSeparator</c> (default <c>:</c>); with <c>multiValued</c> each
/// top-level object is one secret whose pairs are its flattened members, as components-contrib does.
/// </summary>
internal sealed class LocalFileSecretStore : ISecretStore
{
    public const string Type = "secretstores.local.file";
    public const string SecretsFile = "secretsFile";
    public const string NestedSeparator = "nestedSeparator";
    public const string MultiValued = "multiValued";

    private readonly Dictionary<string, IReadOnlyDictionary<string, string>> _secrets;

    private LocalFileSecretStore(Dictionary<string, IReadOnlyDictionary<string, string>> secrets, bool multiValued)
    {
        _secrets = secrets;
        Features = multiValued ? ["MULTIPLE_KEY_VALUES_PER_SECRET"] : [];
    }

    public IReadOnlyList<string> Features { get; }

    /// <summary>
    /// Reads the file. A relative <c>secretsFile</c> is resolved against the sidecar's working directory, as daprd
    /// opens it relative to its own (the app's <c>appDirPath</c> under a multi-app run).
    /// </summary>
    public static LocalFileSecretStore Create(ComponentContext context)
    {
        var definition = context.Definition;
        var file = definition.Get(SecretsFile);
        if (string.IsNullOrEmpty(file))
        {
            throw new InvalidOperationException("missing local secrets file in metadata (secretsFile)");
        }

        var options = context.Services.GetRequiredService<Hosting.SidecarOptions>();
        var path = Path.GetFullPath(file, options.WorkingDirectory ?? Directory.GetCurrentDirectory());
        var separator = definition.Get(NestedSeparator) is { Length: > 0 } s ? s : ":";
        var multiValued = ParseBool(definition, MultiValued);

        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            root = document.RootElement.Clone();
        }
        catch (IOException ex)
        {
            throw new InvalidOperationException($"cannot read secrets file {path}: {ex.Message}", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new InvalidOperationException($"cannot read secrets file {path}: {ex.Message}", ex);
        }
        catch (JsonException ex)
        {
            // The position, never the text: the file holds secrets.
            throw new InvalidOperationException($"secrets file {path} is not valid JSON (line {ex.LineNumber + 1})", ex);
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidOperationException($"secrets file {path} must hold a JSON object");
        }

        var secrets = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        if (multiValued)
        {
            foreach (var property in root.EnumerateObject())
            {
                switch (property.Value.ValueKind)
                {
                    case JsonValueKind.String:
                        secrets[property.Name] = Single(property.Name, property.Value.GetString()!);
                        break;
                    case JsonValueKind.Object:
                        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
                        Flatten(property.Value, "", separator, pairs);
                        secrets[property.Name] = pairs;
                        break;
                    // components-contrib drops other top-level values in multi-valued mode.
                }
            }
        }
        else
        {
            var flat = new Dictionary<string, string>(StringComparer.Ordinal);
            Flatten(root, "", separator, flat);
            foreach (var (name, value) in flat)
            {
                secrets[name] = Single(name, value);
            }
        }

        return new LocalFileSecretStore(secrets, multiValued);
    }

    public ValueTask<IReadOnlyDictionary<string, string>> GetAsync(
        string name, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken) =>
        _secrets.TryGetValue(name, out var secret)
            ? ValueTask.FromResult(secret)
            : throw new SecretStoreException($"secret {name} not found");

    public ValueTask<IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>> GetBulkAsync(
        IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>>(_secrets);

    private static Dictionary<string, string> Single(string name, string value) => new(StringComparer.Ordinal) { [name] = value };

    private static void Flatten(JsonElement element, string path, string separator, Dictionary<string, string> into)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Flatten(property.Value, Join(path, property.Name, separator), separator, into);
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Flatten(item, Join(path, index++.ToString(System.Globalization.CultureInfo.InvariantCulture), separator), separator, into);
                }

                break;
            case JsonValueKind.String:
                into.TryAdd(path, element.GetString()!);
                break;
            default:
                // Numbers, booleans and null as written in the file (components-contrib formats them with %s).
                into.TryAdd(path, element.GetRawText());
                break;
        }
    }

    private static string Join(string path, string name, string separator) => path.Length == 0 ? name : path + separator + name;

    private static bool ParseBool(ComponentDefinition definition, string key) => definition.Get(key) switch
    {
        null or "" => false,
        var text when bool.TryParse(text, out var value) => value,
        "1" => true,
        "0" => false,
        var text => throw new InvalidOperationException($"metadata '{key}' must be true or false, not '{text}'"),
    };
}
