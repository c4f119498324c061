namespace Sidecar.AppChannel;

/// <summary>
/// The HTTP client a sidecar forwards app traffic with, to its own app or to another sidecar: whatever the far side
/// answers is the answer, so no redirects, cookies, proxies or decompression of its own.
/// </summary>
internal static class ForwardingHttpClient
{
    public static HttpClient Create() => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        UseProxy = false,
        AutomaticDecompression = System.Net.DecompressionMethods.None,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectTimeout = TimeSpan.FromSeconds(5),
    })
    {
        // Callers bound each call themselves (resiliency timeouts, request aborts).
        Timeout = Timeout.InfiniteTimeSpan,
    };
}
