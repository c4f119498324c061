using System.Net;
using System.Text.Json;

namespace EndToEnd.Tests.WholeSystem;

/// <summary>One HTTP answer as read: status, media type and body, printed whole so a failure shows what was seen.</summary>
public sealed record Reply(HttpStatusCode Status, string? MediaType, string Body)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public T As<T>() => JsonSerializer.Deserialize<T>(Body, Json)
        ?? throw new InvalidOperationException($"expected a {typeof(T).Name}, got: {this}");

    public override string ToString() => $"{(int)Status} {MediaType} {Body}";
}
