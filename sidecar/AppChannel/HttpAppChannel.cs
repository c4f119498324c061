using System.Net.Sockets;
using Sidecar.Hosting;

namespace Sidecar.AppChannel;

/// <summary>The app channel over one pooled <see cref="HttpClient"/>, its calls limited by <see cref="AppConcurrencyLimiter"/>.</summary>
internal sealed class HttpAppChannel : IAppChannel, IDisposable
{
    private static readonly TimeSpan PortPollInterval = TimeSpan.FromMilliseconds(50);

    private readonly HttpClient _client;
    private readonly SidecarOptions _options;
    private readonly TimeProvider _time;
    private readonly AppConcurrencyLimiter _limiter;

    public HttpAppChannel(SidecarOptions options, TimeProvider time, AppConcurrencyLimiter? limiter = null)
    {
        _options = options;
        _time = time;
        _limiter = limiter ?? new AppConcurrencyLimiter(options);
        BaseAddress = new Uri($"http://{options.AppHost}:{options.AppPort ?? 0}/");
        _client = ForwardingHttpClient.Create();
    }

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
