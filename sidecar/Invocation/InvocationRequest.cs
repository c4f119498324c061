namespace Sidecar.Invocation;

/// <summary>
/// A call to another app's method, as both surfaces hand it over. <paramref name="PathAndQuery"/> is the method with its
/// query string; <paramref name="Headers"/> are the caller's headers (hop-by-hop ones are dropped when forwarding).
/// <paramref name="RetryByStatus"/> false: a failing answer is retried whatever the retry policy's <c>matching</c>
/// (gRPC <c>InvokeService</c>, whose errors daprd does not hand to matching).
/// </summary>
public sealed record InvocationRequest(
    string AppId,
    HttpMethod Method,
    string PathAndQuery,
    IEnumerable<KeyValuePair<string, IEnumerable<string>>> Headers,
    Stream? Body,
    string? ContentType,
    long? ContentLength = null,
    bool RetryByStatus = true);

/// <summary>Invokes methods of apps through their sidecars, in this process or found through name resolution.</summary>
public interface IServiceInvoker
{
    /// <summary>
    /// The target app's answer, whatever its status (the caller copies it back verbatim; dispose it). Throws
    /// <c>DaprException</c> (ERR_DIRECT_INVOKE) when the target is unknown, unhealthy or unreachable.
    /// </summary>
    Task<HttpResponseMessage> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken);
}
