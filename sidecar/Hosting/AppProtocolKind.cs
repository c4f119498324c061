namespace Sidecar.Hosting;

/// <summary>How the sidecar talks to its app (<c>--app-protocol</c>, run file <c>appProtocol</c>), as daprd's <c>protocol.Protocol</c>.</summary>
public enum AppProtocolKind
{
    /// <summary>HTTP/1.1 in clear text (daprd's default).</summary>
    Http,

    /// <summary>HTTP/1.1 over TLS; like daprd, the app's certificate is not verified (dev certificates work).</summary>
    Https,

    /// <summary>gRPC over HTTP/2 in clear text: the app serves <c>AppCallback</c>.</summary>
    Grpc,

    /// <summary>gRPC over TLS; the app's certificate is not verified.</summary>
    Grpcs,

    /// <summary>HTTP/2 in clear text with prior knowledge.</summary>
    H2c,
}

/// <summary>Parsing and questions about <see cref="AppProtocolKind"/>.</summary>
public static class AppProtocols
{
    /// <summary>The names daprd accepts, lower case, in the order of <see cref="AppProtocolKind"/>.</summary>
    public static readonly IReadOnlyList<string> Names = ["http", "https", "grpc", "grpcs", "h2c"];

    /// <summary>Parses one of <see cref="Names"/> (case-insensitive, as daprd); anything else is an error naming the choices.</summary>
    public static AppProtocolKind Parse(string value)
    {
        for (var i = 0; i < Names.Count; i++)
        {
            if (string.Equals(Names[i], value?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return (AppProtocolKind)i;
            }
        }

        throw new ArgumentException(
            $"app protocol '{value}' is not one of {string.Join(", ", Names)}", nameof(value));
    }

    /// <summary>True for <c>grpc</c> and <c>grpcs</c>: the app is reached through <c>AppCallback</c>, not HTTP.</summary>
    public static bool IsGrpc(this AppProtocolKind protocol) => protocol is AppProtocolKind.Grpc or AppProtocolKind.Grpcs;

    /// <summary>True for <c>https</c> and <c>grpcs</c>.</summary>
    public static bool UsesTls(this AppProtocolKind protocol) => protocol is AppProtocolKind.Https or AppProtocolKind.Grpcs;

    /// <summary>The URI scheme of the app's base address.</summary>
    public static string Scheme(this AppProtocolKind protocol) => protocol.UsesTls() ? "https" : "http";
}
