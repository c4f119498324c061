namespace Sidecar.AppChannel;

/// <summary>
/// The HTTP client a sidecar forwards app traffic with, to its own app or to another sidecar: whatever the far side
/// answers is the answer, so no redirects, cookies, proxies or decompression of its own.
/// </summary>
internal static class ForwardingHttpClient
{
    /// <param name="acceptAnyServerCertificate">
    /// True for an app served over TLS: daprd does not verify the app's certificate (dev certificates work).
    /// </param>
    public static HttpClient Create(bool acceptAnyServerCertificate = false) => new(new SocketsHttpHandler
    {
        SslOptions = acceptAnyServerCertificate
            ? new System.Net.Security.SslClientAuthenticationOptions { RemoteCertificateValidationCallback = static (_, _, _, _) => true }
            : new System.Net.Security.SslClientAuthenticationOptions(),
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
