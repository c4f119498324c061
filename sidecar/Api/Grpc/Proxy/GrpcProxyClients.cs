using Sidecar.AppChannel.GrpcApp;

namespace Sidecar.Api.Grpc.Proxy;

/// <summary>The HTTP/2 clients proxied calls travel on: clear text (h2c) and TLS (the far side's certificate unverified, as daprd's).</summary>
internal sealed class GrpcProxyClients : IDisposable
{
    private readonly HttpClient _plain = new(AppCallbackClients.CreateHandler(tls: false)) { Timeout = Timeout.InfiniteTimeSpan };
    private readonly HttpClient _tls = new(AppCallbackClients.CreateHandler(tls: true)) { Timeout = Timeout.InfiniteTimeSpan };

    public HttpClient For(Uri target) => target.Scheme == Uri.UriSchemeHttps ? _tls : _plain;

    public void Dispose()
    {
        _plain.Dispose();
        _tls.Dispose();
    }
}
