using System.Text;

namespace Sidecar.Invocation;

/// <summary>
/// An invoked method as daprd cleans it before calling the app (dapr/dapr <c>pkg/messaging/method/normalize.go</c>
/// NormalizeMethod, applied by <c>pkg/messaging/direct_messaging.go</c> Invoke to HTTP and gRPC callers alike): the
/// decoded method must not hold <c>#</c>, <c>?</c>, NUL or control characters; <c>.</c>, <c>..</c> and repeated slashes
/// are resolved as Go's <c>path.Clean</c> does, and a path that climbs above the root stays at the root.
/// </summary>
public static class InvocationMethod
{
    /// <summary>The cleaned method; throws ERR_DIRECT_INVOKE (InvalidArgument inside) when it holds a forbidden character.</summary>
    public static string Normalize(string appId, string method)
    {
        foreach (var c in method)
        {
            if (c is '#' or '?' or '\0' || c < 0x20 || c == 0x7f)
            {
                var why = c is '#' or '?' or '\0' ? "method contains forbidden character" : "method contains control character";
                throw InvocationErrors.DirectInvoke(appId, $"rpc error: code = InvalidArgument desc = invalid method: {why}: \"{method}\"").ToException();
            }
        }

        var cleaned = Clean(method);
        while (cleaned.StartsWith("../", StringComparison.Ordinal))
        {
            cleaned = cleaned[3..];
        }

        return cleaned is ".." or "." ? "" : cleaned;
    }

    /// <summary>
    /// The method as a relative URI path: each character outside what Go leaves bare in a path (unreserved and
    /// <c>$&amp;+,/:;=@</c>) percent-encoded as UTF-8, as Go's URL does when daprd's channel sends it.
    /// </summary>
    public static string ToUriPath(string method)
    {
        var builder = new StringBuilder(method.Length);
        foreach (var b in Encoding.UTF8.GetBytes(method))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~' or '$' or '&' or '+' or ',' or '/' or ':' or ';' or '=' or '@')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    // Go's path.Clean: collapse slashes, drop '.', resolve '..' (kept at the front of a relative path), '.' for empty.
    private static string Clean(string path)
    {
        if (path.Length == 0)
        {
            return ".";
        }

        var rooted = path[0] == '/';
        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            switch (part)
            {
                case "" or ".":
                    break;
                case "..":
                    if (parts.Count > 0 && parts[^1] != "..")
                    {
                        parts.RemoveAt(parts.Count - 1);
                    }
                    else if (!rooted)
                    {
                        parts.Add("..");
                    }

                    break;
                default:
                    parts.Add(part);
                    break;
            }
        }

        var joined = string.Join('/', parts);
        return rooted ? "/" + joined : joined.Length == 0 ? "." : joined;
    }
}
