using System.Text.Json;

namespace ServiceDefaults.Http;

/// <summary>
/// Names the field a JSON body could not be read at, from <see cref="JsonException.Path"/>: <c>$.price</c> is
/// <c>price</c>, <c>$.lines[0].itemId</c> is <c>lines[0].itemId</c>, and the body as a whole (not JSON, not an object,
/// cut short) is <c>body</c>.
/// </summary>
public static class JsonBodyErrors
{
    /// <summary>The field → messages map of a validation problem for <paramref name="exception"/>.</summary>
    public static Dictionary<string, string[]> For(JsonException exception)
    {
        var path = exception.Path;
        var field = string.IsNullOrEmpty(path) || path == "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
        var message = field == "body"
            ? "The body must be a JSON object of the documented shape."
            : $"{field} has a value of the wrong type, or out of range for it.";
        return new(StringComparer.Ordinal) { [field] = [message] };
    }
}
