using System.Text.Json;
using Sidecar.Components.Configuration;

namespace Sidecar.Configuration;

/// <summary>
/// Configuration items in daprd's JSON: <c>{key:{"value","version","metadata"}}</c> with empty fields left out, as
/// Go's <c>omitempty</c> does; a change is <c>{"id","items":{...}}</c>.
/// </summary>
internal static class ConfigurationJson
{
    /// <summary>The body of a change delivered to the app.</summary>
    public static byte[] Update(ConfigurationUpdate update) => Write(json =>
    {
        json.WriteStartObject();
        json.WriteString("id", update.Id);
        json.WritePropertyName("items");
        WriteItems(json, update.Items);
        json.WriteEndObject();
    });

    /// <summary>The answer of a read.</summary>
    public static byte[] Items(IReadOnlyDictionary<string, ConfigurationItem> items) => Write(json => WriteItems(json, items));

    private static void WriteItems(Utf8JsonWriter json, IReadOnlyDictionary<string, ConfigurationItem> items)
    {
        json.WriteStartObject();
        foreach (var (key, item) in items)
        {
            json.WriteStartObject(key);
            if (item.Value.Length > 0)
            {
                json.WriteString("value", item.Value);
            }

            if (item.Version.Length > 0)
            {
                json.WriteString("version", item.Version);
            }

            if (item.Metadata.Count > 0)
            {
                json.WriteStartObject("metadata");
                foreach (var (name, value) in item.Metadata)
                {
                    json.WriteString(name, value);
                }

                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    private static byte[] Write(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            write(json);
        }

        return stream.ToArray();
    }
}
