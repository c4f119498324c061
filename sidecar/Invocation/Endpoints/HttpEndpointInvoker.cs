using Sidecar.AppChannel;
using Sidecar.AppChannel.GrpcApp;

namespace Sidecar.Invocation.Endpoints;

/// <summary>
/// Calls an external service as daprd's HTTP channel does for an <c>HTTPEndpoint</c> or a URL target (dapr/dapr
/// <c>pkg/channel/http/http_channel.go</c> constructRequest): the base URL, then <c>/</c> and the method, then the
/// caller's query; the caller's verb, body, content type and headers, then the resource's headers over them; a
/// <c>traceparent</c>. No <c>dapr-caller-app-id</c> (daprd adds it only between sidecars) and no redirects followed.
/// The answer comes back as it is. <see cref="ServiceInvoker"/> runs the attempts under the app target's resiliency
/// (<c>targets.apps.&lt;name or URL&gt;</c>), with one breaker per endpoint and base URL, or per URL and method
/// (dapr/dapr <c>pkg/api/http/directmessaging.go</c>).
/// Unlike daprd, the app's APP_API_TOKEN is not sent to a URL target: it is a secret between sidecar and app.
/// </summary>
internal sealed partial class HttpEndpointInvoker(ILogger<HttpEndpointInvoker> logger) : IDisposable
{
    private readonly HttpClient _client = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, UseProxy = false })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <summary>daprd's breaker key: per endpoint and base URL, or per URL and method (the path without its query).</summary>
    public static string BreakerKey(HttpEndpoint endpoint, string target, string method) =>
        HttpEndpoint.IsUrl(target) ? $"/{method}" : $":{endpoint.BaseUrl}";

    /// <summary>One attempt: the request to the external service, its answer as it is.</summary>
    public Task<HttpResponseMessage> SendAsync(
        HttpEndpoint endpoint, InvocationRequest request, IEnumerable<KeyValuePair<string, IEnumerable<string>>> headers,
        ReplayableBody? body, string traceParent, CancellationToken cancellationToken) =>
        _client.SendAsync(Message(endpoint, request, headers, body, traceParent), HttpCompletionOption.ResponseHeadersRead, cancellationToken);

    /// <summary>Logs a failed call without user information: a base URL may carry credentials, which are never logged.</summary>
    public void LogFailed(HttpEndpoint endpoint, string target, string error) =>
        LogInvokeFailed(HttpEndpoint.IsUrl(target) ? "URL" : target,
            new Uri(endpoint.BaseUrl).GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped), error);

    private static HttpRequestMessage Message(
        HttpEndpoint endpoint, InvocationRequest request, IEnumerable<KeyValuePair<string, IEnumerable<string>>> headers,
        ReplayableBody? body, string traceParent)
    {
        var pathAndQuery = request.PathAndQuery;
        var separator = pathAndQuery.Length > 0 && pathAndQuery[0] is not ('/' or '?') ? "/" : "";
        var message = new HttpRequestMessage(Verb(request), new Uri(endpoint.BaseUrl + separator + pathAndQuery, UriKind.Absolute));
        var stream = body?.Open() ?? request.Body;
        if (stream is not null)
        {
            message.Content = ForwardedHeaders.ContentFor(stream, request.ContentType, body is { CanReplay: true } ? null : request.ContentLength);
        }

        ForwardedHeaders.CopyTo(message, headers.Where(h => !h.Key.Equals("content-type", StringComparison.OrdinalIgnoreCase)
            && !h.Key.Equals(DaprHeaders.AppId, StringComparison.OrdinalIgnoreCase) && !GrpcInvocation.IsInternalHeader(h.Key)));
        message.Headers.Remove(TraceContext.TraceParentHeader);
        message.Headers.TryAddWithoutValidation(TraceContext.TraceParentHeader, traceParent);
        foreach (var (name, value) in endpoint.Headers)
        {
            // daprd sets them (Header.Set): the resource's value replaces the caller's.
            if (ForwardedHeaders.IsContentHeader(name))
            {
                message.Content?.Headers.Remove(name);
                message.Content?.Headers.TryAddWithoutValidation(name, value);
            }
            else
            {
                message.Headers.Remove(name);
                message.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return message;
    }

    /// <summary>The caller's verb; a gRPC caller without one sends daprd's <c>NONE</c> (or <c>CONNECT</c>) as the verb.</summary>
    private static HttpMethod Verb(InvocationRequest request) =>
        request.Headers.FirstOrDefault(h => h.Key.Equals(GrpcInvocation.VerbHeader, StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault() switch
        {
            null => request.Method,
            GrpcInvocation.MissingHttpExtension => new HttpMethod("NONE"),
            var mark => new HttpMethod(mark),
        };

    public void Dispose() => _client.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Invoking HTTP endpoint {Target} ({BaseUrl}) failed: {Error}")]
    private partial void LogInvokeFailed(string target, string baseUrl, string error);
}
