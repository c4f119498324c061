using System.Net.Sockets;
using Sidecar.Hosting;

namespace Sidecar.AppChannel;

/// <summary>The app channel over one pooled <see cref="HttpClient"/>.</summary>
internal sealed class HttpAppChannel : IAppChannel, IDisposable
{
    private static readonly TimeSpan PortPollInterval = TimeSpan.FromMilliseconds(50);

    private readonly HttpClient _client;
    private readonly SidecarOptions _options;
    private readonly TimeProvider _time;

    public HttpAppChannel(SidecarOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
        BaseAddress = new Uri($"http://{options.AppHost}:{options.AppPort ?? 0}/");
        _client = ForwardingHttpClient.Create();
    }

    public bool IsConfigured => _options.AppPort is not null;

    public Uri BaseAddress { get; }

    public Uri UriFor(string pathAndQuery) => new(BaseAddress, pathAndQuery.TrimStart('/'));

    public Task<HttpResponseMessage> SendAsync(
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

        request.Headers.Remove(DaprHeaders.ApiToken);
        if (!string.IsNullOrEmpty(_options.AppApiToken))
        {
            request.Headers.TryAddWithoutValidation(DaprHeaders.ApiToken, _options.AppApiToken);
        }

        return _client.SendAsync(request, completion, cancellationToken);
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
