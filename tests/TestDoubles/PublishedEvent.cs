using System.Text.Json;

namespace TestDoubles;

/// <summary>
/// An event a service published through <see cref="FakeDaprClient"/>; <see cref="Data"/> is the object as passed, or the
/// JSON bytes an outbox published.
/// </summary>
public sealed record PublishedEvent(string PubSubName, string Topic, object? Data, IReadOnlyDictionary<string, string> Metadata)
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    /// <summary>The data as <typeparamref name="T"/>, read as a subscriber would read it (camelCase JSON).</summary>
    public T? DataAs<T>() => Data switch
    {
        T typed => typed,
        byte[] json => JsonSerializer.Deserialize<T>(json, Web),
        null => default,
        var other => JsonSerializer.Deserialize<T>(JsonSerializer.SerializeToUtf8Bytes(other, other.GetType(), Web), Web),
    };
}
