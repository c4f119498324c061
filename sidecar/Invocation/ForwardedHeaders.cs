using System.Net.Http.Headers;

namespace Sidecar.Invocation;

/// <summary>Which headers cross the sidecar on an invocation, in either direction.</summary>
internal static class ForwardedHeaders
{
    // Hop-by-hop headers (RFC 9110 §7.6.1) belong to one connection; content-length and host are the new request's own.
    private static readonly HashSet<string> NotForwarded = new(StringComparer.OrdinalIgnoreCase)
    {
        "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection", "te", "trailer",
        "transfer-encoding", "upgrade", "host", "content-length",
        // The caller's Dapr API token is for this sidecar; the target app gets APP_API_TOKEN from its own channel.
        DaprHeaders.ApiToken,
        // Between sidecars only: never to an app, never back to a caller.
        InternalInvocation.TokenHeader, InternalInvocation.ErrorHeader, InternalInvocation.RegistrationHeader,
    };

    public static bool IsForwarded(string name) => !NotForwarded.Contains(name) && !name.StartsWith(':');

    /// <summary>Copies <paramref name="headers"/> onto a request to the app: content headers to the content, others to the request.</summary>
    public static void CopyTo(HttpRequestMessage request, IEnumerable<KeyValuePair<string, IEnumerable<string>>> headers)
    {
        foreach (var (name, values) in headers)
        {
            if (!IsForwarded(name))
            {
                continue;
            }

            if (!request.Headers.TryAddWithoutValidation(name, values) && request.Content is not null)
            {
                request.Content.Headers.TryAddWithoutValidation(name, values);
            }
        }
    }

    /// <summary>The headers of the app's answer that go back to the caller.</summary>
    public static IEnumerable<KeyValuePair<string, IEnumerable<string>>> Of(HttpResponseMessage response) =>
        response.Headers.Concat(response.Content.Headers).Where(h => IsForwarded(h.Key));

    public static bool IsContentHeader(string name) => name.StartsWith("content-", StringComparison.OrdinalIgnoreCase)
        || name.Equals("expires", StringComparison.OrdinalIgnoreCase) || name.Equals("last-modified", StringComparison.OrdinalIgnoreCase)
        || name.Equals("allow", StringComparison.OrdinalIgnoreCase);

    /// <summary>A content for a body that carries the caller's content type.</summary>
    public static HttpContent ContentFor(Stream body, string? contentType, long? length)
    {
        var content = new StreamContent(body);
        if (contentType is not null && MediaTypeHeaderValue.TryParse(contentType, out var parsed))
        {
            content.Headers.ContentType = parsed;
        }

        if (length is { } l)
        {
            content.Headers.ContentLength = l;
        }

        return content;
    }
}
