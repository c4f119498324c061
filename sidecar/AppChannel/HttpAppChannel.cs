using System.Net.Sockets;
using Sidecar.AppChannel.GrpcApp;
using Sidecar.Hosting;

namespace Sidecar.AppChannel;

/// <summary>
/// The app channel over one pooled <see cref="HttpClient"/>: HTTP/1.1 for <c>http</c>, TLS for <c>https</c> (the app's
/// certificate accepted unverified, as daprd's <c>InsecureSkipVerify</c>), HTTP/2 with prior knowledge for <c>h2c</c>.
/// A gRPC app's callbacks go through <see cref="GrpcApp"/>. Calls are limited by <see cref="AppConcurrencyLimiter"/>
/// (the sidecar's one, which the gRPC app channel shares).
/// </summary>
// dapr/dapr pkg/runtime/channels/channels.go (the app's HTTP client by protocol)
internal sealed class HttpAppChannel : IAppChannel, IDisposable
{
    private static readonly TimeSpan PortPollInterval = TimeSpan.FromMilliseconds(50);

    private readonly HttpClient _client;
    private readonly SidecarOptions _options;
    private readonly TimeProvider _time;
    private readonly AppConcurrencyLimiter _limiter;
    private readonly Version _version;

    public HttpAppChannel(
        SidecarOptions options, TimeProvider time, AppCallbackClients? grpcApp = null, AppConcurrencyLimiter? limiter = null)
    {
        _options = options;
        _time = time;
        _limiter = limiter ?? new AppConcurrencyLimiter(options);
        var protocol = options.AppProtocolKind;
        BaseAddress = new Uri($"{protocol.Scheme()}://{options.AppHost}:{options.AppPort ?? 0}/");
        _client = ForwardingHttpClient.Create(acceptAnyServerCertificate: protocol.UsesTls());
        _version = protocol == AppProtocolKind.H2c ? System.Net.HttpVersion.Version20 : System.Net.HttpVersion.Version11;
        GrpcApp = grpcApp is { IsConfigured: true } ? grpcApp : null;
    }

    public AppCallbackClients? GrpcApp { get; }

    public bool IsConfigured => _options.AppPort is not null;

    public Uri BaseAddress { get; }

    public Uri UriFor(string pathAndQuery) => new(BaseAddress, pathAndQuery.TrimStart('/'));

    public async Task<HttpResponseMessage> SendAsync(
        HttpRequestMessage request, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        if (!IsConfigured)
        {
            throw new InvalidOperationException($"app '{_options.AppId}' has no app port: nothing to call");
        }

        request.RequestUri ??= BaseAddress;
        if (!request.RequestUri.IsAbsoluteUri)
        {
            request.RequestUri = UriFor(request.RequestUri.OriginalString);
        }

        // h2c: HTTP/2 without TLS and without upgrade, which only an exact version request gives.
        request.Version = _version;
        request.VersionPolicy = HttpVersionPolicy.RequestVersionExact;
        request.Headers.Remove(DaprHeaders.ApiToken);
        if (!string.IsNullOrEmpty(_options.AppApiToken))
        {
            request.Headers.TryAddWithoutValidation(DaprHeaders.ApiToken, _options.AppApiToken);
        }

        var slot = await _limiter.AcquireAsync(request, cancellationToken);
        if (slot is null)
        {
            return await _client.SendAsync(request, completion, cancellationToken);
        }

        try
        {
            var response = await _client.SendAsync(request, completion, cancellationToken);
            response.Content = new SlotHoldingContent(response.Content, slot);
            return response;
        }
        catch
        {
            slot.Dispose();
            throw;
        }
    }

    public async Task WaitForAppPortAsync(CancellationToken cancellationToken)
    {
        if (!IsConfigured)
        {
            return;
        }

        while (true)
        {
            try
            {
                using var socket = new TcpClient();
                await socket.ConnectAsync(_options.AppHost, _options.AppPort!.Value, cancellationToken);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(PortPollInterval, _time, cancellationToken);
            }
        }
    }

    public void Dispose() => _client.Dispose();
}
