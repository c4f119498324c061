using System.Text.Json;

namespace Notifications.Infrastructure;

/// <summary>
/// Reads an event's data (already unwrapped by the CloudEvents middleware) without letting malformed JSON become a
/// 400: Dapr would retry a 400, while a malformed event can never succeed and should be dropped to the dead letter.
/// </summary>
public static class EventBody
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public static async Task<T?> TryReadAsync<T>(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await JsonSerializer.DeserializeAsync<T>(request.Body, Web, cancellationToken);
        }
        catch (JsonException)
        {
            return default;
        }
    }
}
