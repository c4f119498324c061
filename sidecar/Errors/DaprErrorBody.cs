using System.Text.Json.Serialization;

namespace Sidecar.Errors;

/// <summary>
/// Dapr's error body on the wire, <c>{"errorCode":"...","message":"..."}</c>: written by the HTTP API and read back by a
/// sidecar that called another one, so it lives with the errors, below both.
/// </summary>
internal sealed record DaprErrorBody(
    [property: JsonPropertyName("errorCode")] string ErrorCode,
    [property: JsonPropertyName("message")] string Message);

[JsonSerializable(typeof(DaprErrorBody))]
internal sealed partial class DaprErrorJsonContext : JsonSerializerContext;
