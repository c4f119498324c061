using Sidecar.AppChannel;
using Sidecar.AppChannel.GrpcApp;
using Sidecar.AppChannel.Resiliency;

namespace Sidecar.Invocation.Endpoints;

/// <summary>
/// Calls an external service as daprd's HTTP channel does for an <c>HTTPEndpoint</c> or a URL target (dapr/dapr
/// <c>pkg/channel/http/http_channel.go</c> constructRequest): the base URL, then <c>/</c> and the method, then the
/// caller's query; the caller's verb, body, content type and headers, then the resource's headers over them; a
/// <c>traceparent</c>. No <c>dapr-caller-app-id</c> (daprd adds it only between sidecars) and no redirects followed.
/// The answer comes back as it is. Resiliency is the app target's (<c>targets.apps.&lt;name or URL&gt;</c>), with one
/// breaker per endpoint and base URL, or per URL and method (dapr/dapr <c>pkg/api/http/directmessaging.go</c>).
/// Unlike daprd, the app's APP_API_TOKEN is not sent to a URL target: it is a secret between sidecar and app.
/// </summary>
internal sealed partial class HttpEndpointInvoker(IResiliencyPolicies policies, ILogger<HttpEndpointInvoker> logger) : IDisposable
{
    private readonly HttpClient _client = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, UseProxy = false })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public async Task<HttpResponseMessage> InvokeAsync(HttpEndpoint endpoint, InvocationRequest request, CancellationToken cancellationToken)
    {
        var method = request.PathAndQuery.Split('?', 2)[0];
        var breakerKey = HttpEndpoint.IsUrl(request.AppId) ? $"/{method}" : $":{endpoint.BaseUrl}";
        var runner = policies.RunnerForApp(request.AppId, breakerKey);
        var body = request.Body is null || !runner.HasRetries ? null : await ReplayableBody.ReadAsync(request.Body, cancellationToken);
        if (body is { CanReplay: false })
        {
            runner = runner.WithoutRetries();
        }

        var traceParent = TraceContext.OrNew(request.Headers.FirstOrDefault(h =>
            h.Key.Equals(TraceContext.TraceParentHeader, StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault());
        try
        {
            return await runner.RunAsync(
                token => _client.SendAsync(Message(endpoint, request, body, traceParent), HttpCompletionOption.ResponseHeadersRead, token),
                response => ServiceInvoker.JudgeHttpAnswer(response, request.RetryByStatus),
                response => response.Dispose(),
                cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutException or CircuitBreakerOpenException
                                   || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // Without user information: a base URL may carry credentials, which are never logged.
            LogInvokeFailed(HttpEndpoint.IsUrl(request.AppId) ? "URL" : request.AppId,
                new Uri(endpoint.BaseUrl).GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped), ex.Message);
            throw InvocationErrors.DirectInvoke(request.AppId, ex.Message).ToException();
        }
    }

    private static HttpRequestMessage Message(HttpEndpoint endpoint, InvocationRequest request, ReplayableBody? body, string traceParent)
    {
        var pathAndQuery = request.PathAndQuery;
        var separator = pathAndQuery.Length > 0 && pathAndQuery[0] is not ('/' or '?') ? "/" : "";
        var message = new HttpRequestMessage(Verb(request), new Uri(endpoint.BaseUrl + separator + pathAndQuery, UriKind.Absolute));
        var stream = body?.Open() ?? request.Body;
        if (stream is not null)
        {
            message.Content = ForwardedHeaders.ContentFor(stream, request.ContentType, body is { CanReplay: true } ? null : request.ContentLength);
        }

        ForwardedHeaders.CopyTo(message, request.Headers.Where(h => !h.Key.Equals("content-type", StringComparison.OrdinalIgnoreCase)
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
