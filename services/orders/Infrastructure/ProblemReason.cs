using System.Text.Json;

namespace Orders.Infrastructure;

/// <summary>Reads the human-readable reason out of an error answer (problem details <c>detail</c>/<c>title</c>, or a <c>reason</c> field).</summary>
public static class ProblemReason
{
    public static async Task<string> ReadAsync(HttpResponseMessage response, string fallback, CancellationToken cancellationToken)
    {
        try
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var name in (string[])["detail", "reason", "title"])
                {
                    if (json.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
                        && !string.IsNullOrWhiteSpace(value.GetString()))
                    {
                        return value.GetString()!;
                    }
                }
            }
        }
        catch (JsonException)
        {
            // An unreadable body still leaves the status code, which is what decided the outcome.
        }

        return fallback;
    }
}
