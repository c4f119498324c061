using Grpc.Core;
using GrpcHeaders = Grpc.Core.Metadata;

namespace Sidecar.AppChannel.GrpcApp;

/// <summary>
/// Headers across the HTTP/gRPC boundary as daprd converts them (<c>pkg/messaging/v1/util.go</c>
/// <c>InternalMetadataToGrpcMetadata</c> and <c>InternalMetadataToHTTPHeader</c>).
/// </summary>
internal static class GrpcMetadata
{
    private const string DaprPrefix = "dapr-";

    // daprd's isPermanentHTTPHeader: standard HTTP headers an HTTP caller sent reach a gRPC app as dapr-<name>.
    private static readonly HashSet<string> PermanentHttpHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "accept", "accept-charset", "accept-language", "accept-ranges", "connection", "keep-alive", "proxy-connection",
        "transfer-encoding", "upgrade", "cache-control", "content-type", "content-length", "cookie", "date", "expect",
        "from", "host", "if-match", "if-modified-since", "if-none-match", "if-schedule-tag-match", "if-unmodified-since",
        "max-forwards", "origin", "pragma", "referer", "via", "warning",
    };

    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "http2-settings", "te", "trailer",
        "proxy-authorization", "proxy-authenticate",
    };

    /// <summary>An HTTP caller's headers as the gRPC app's request metadata.</summary>
    public static GrpcHeaders FromHttpHeaders(IEnumerable<KeyValuePair<string, IEnumerable<string>>> headers)
    {
        var metadata = new GrpcHeaders();
        foreach (var (name, values) in headers)
        {
            var key = name.ToLowerInvariant();
            if (key.StartsWith(':') || key.StartsWith("grpc-", StringComparison.Ordinal) || key.StartsWith("dapr-local-", StringComparison.Ordinal)
                || key == "te")
            {
                continue;
            }

            if (PermanentHttpHeaders.Contains(key))
            {
                key = DaprPrefix + key;
            }

            foreach (var value in values)
            {
                if (key.EndsWith(GrpcHeaders.BinaryHeaderSuffix, StringComparison.Ordinal))
                {
                    // daprd decodes base64 values of -bin headers and drops the ones that are not base64.
                    if (TryFromBase64(value) is { } bytes)
                    {
                        metadata.Add(key, bytes);
                    }
                }
                else
                {
                    metadata.Add(key, value);
                }
            }
        }

        return metadata;
    }

    /// <summary>
    /// The gRPC app's response metadata as HTTP headers: binary entries, content type and length and hop-by-hop
    /// headers dropped, <c>grpc-*</c> renamed <c>dapr-grpc-*</c>.
    /// </summary>
    public static IEnumerable<KeyValuePair<string, string>> ToHttpHeaders(GrpcHeaders metadata)
    {
        foreach (var entry in metadata)
        {
            if (entry.IsBinary || entry.Key is "content-type" or "content-length" || HopByHop.Contains(entry.Key))
            {
                continue;
            }

            var key = entry.Key.StartsWith("grpc-", StringComparison.Ordinal) ? DaprPrefix + entry.Key : entry.Key;
            yield return KeyValuePair.Create(key, entry.Value);
        }
    }

    private static byte[]? TryFromBase64(string value)
    {
        var buffer = new byte[value.Length];
        return Convert.TryFromBase64String(value, buffer, out var written) ? buffer[..written] : null;
    }
}
