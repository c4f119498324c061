using System.Text.Json;

namespace TestDoubles;

/// <summary>
/// A service invocation a service made through <see cref="FakeDaprClient"/>. <see cref="Body"/> is the request object as
/// passed to <c>InvokeMethodAsync</c>, or a <see cref="JsonElement"/> when it came through an invokable <see cref="HttpClient"/>.
/// </summary>
public sealed record Invocation(HttpMethod Method, string AppId, string MethodName, object? Body)
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    /// <summary>The body as <typeparamref name="T"/>, whichever way it was sent.</summary>
    public T? BodyAs<T>() => Body switch
    {
        null => default,
        T typed => typed,
        JsonElement json => json.Deserialize<T>(Web),
        var other => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(other, other.GetType(), Web), Web),
    };
}
