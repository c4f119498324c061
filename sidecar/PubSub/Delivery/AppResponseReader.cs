using System.Net;
using System.Text.Json;

namespace Sidecar.PubSub.Delivery;

/// <summary>Reads the app's reply to a delivery the way daprd does.</summary>
internal static class AppResponseReader
{
    public static DeliveryOutcome Read(HttpStatusCode status, ReadOnlySpan<byte> body)
    {
        var code = (int)status;
        if (code is >= 200 and <= 299)
        {
            return StatusOf(body) switch
            {
                null or "" or "SUCCESS" => DeliveryOutcome.Success,
                "DROP" => DeliveryOutcome.Drop,
                _ => DeliveryOutcome.Retry,
            };
        }

        return status == HttpStatusCode.NotFound ? DeliveryOutcome.NotFound : DeliveryOutcome.Retry;
    }

    /// <summary>A per-entry or per-event status word (<c>SUCCESS</c>, <c>RETRY</c>, <c>DROP</c>).</summary>
    public static DeliveryOutcome FromStatus(string? status) => status?.ToUpperInvariant() switch
    {
        "SUCCESS" => DeliveryOutcome.Success,
        "DROP" => DeliveryOutcome.Drop,
        _ => DeliveryOutcome.Retry,
    };

    private static string? StatusOf(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return null;
        }

        try
        {
            var reader = new Utf8JsonReader(body);
            using var document = JsonDocument.ParseValue(ref reader);
            // A body that is not a JSON object with a string status counts as "no status" (success), as in daprd.
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String
                ? s.GetString()!.ToUpperInvariant()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
