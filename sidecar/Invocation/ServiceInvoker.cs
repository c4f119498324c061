using System.Net.Sockets;
using Sidecar.AppChannel;
using Sidecar.AppChannel.Resiliency;
using Sidecar.Hosting;
using Sidecar.Invocation.Endpoints;
using Sidecar.NameResolution;

namespace Sidecar.Invocation;

/// <summary>
/// Service invocation: the <see cref="INameResolver"/> picks an instance of the target app for each attempt; a sidecar
/// of this process is called through its own app channel, one of another process through its internal route (either
/// way the target's APP_API_TOKEN and health apply). Attempts run under this app's resiliency policy for the target
/// (<c>targets.apps.&lt;appId&gt;</c>: retries on connection failures and non-2xx answers, by its <c>matching</c>, when
/// the body can be replayed; timeouts; a breaker per app and method).
/// A refused connection to one instance moves on to the next at once when the body can be sent again.
/// A target that is a URL or an <c>HTTPEndpoint</c>'s name is sent by <see cref="HttpEndpointInvoker"/> instead, under the
/// same resiliency.
/// </summary>
internal sealed partial class ServiceInvoker(
    INameResolver resolver, RemoteSidecarChannel remote, SidecarOptions options, IResiliencyPolicies policies,
    HttpEndpointRegistry endpoints, HttpEndpointInvoker external, ILogger<ServiceInvoker> logger)
    : IServiceInvoker
{
    public async Task<HttpResponseMessage> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken)
    {
        var endpoint = endpoints.TryFind(request.AppId, out var found) ? found : null;
        // daprd keys the breaker by app and method (the path without its query); an external service by its own rule.
        var method = request.PathAndQuery.Split('?', 2)[0];
        var runner = policies.RunnerForApp(
            request.AppId, endpoint is null ? method.TrimStart('/') : HttpEndpointInvoker.BreakerKey(endpoint, request.AppId, method));
        var body = request.Body is null || !runner.HasRetries ? null : await ReplayableBody.ReadAsync(request.Body, cancellationToken);
        if (body is { CanReplay: false })
        {
            runner = runner.WithoutRetries();
        }

        var headers = request.Headers.ToList();
        var traceParent = TraceContext.OrNew(headers.FirstOrDefault(h =>
            h.Key.Equals(TraceContext.TraceParentHeader, StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault());

        try
        {
            return await runner.RunAsync(
                token => endpoint is null
                    ? AttemptAsync(request, headers, body, traceParent, token)
                    : external.SendAsync(endpoint, request, headers, body, traceParent, token),
                response => endpoint is null ? JudgeAnswer(response, request.RetryByStatus) : JudgeHttpAnswer(response, request.RetryByStatus),
                response => response.Dispose(),
                cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutException or CircuitBreakerOpenException
                                   || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            if (endpoint is null)
            {
                LogInvokeFailed(request.AppId, request.PathAndQuery, ex.Message);
            }
            else
            {
                external.LogFailed(endpoint, request.AppId, ex.Message);
            }

            throw InvocationErrors.DirectInvoke(request.AppId, ex.Message).ToException();
        }
    }

    // An answer outside 200-399 is a failure the breaker counts and the retry policy retries unless its matching
    // excludes the status; when retries end, the app's last answer goes back to the caller verbatim.
    // dapr/dapr pkg/api/http/directmessaging.go onDirectMessage (resiliency.NewCodeError for non-2xx)
    // dapr/dapr pkg/api/grpc/grpc.go InvokeService instead turns every answer outside 2xx into a gRPC status error,
    // which matching never sees.
    // A gRPC app's answer: daprd's HTTP API writes whatever status it carries without a failure (no retry, no breaker);
    // its gRPC InvokeService turns a status other than OK into an error, which is retried and counted.
    private static AttemptVerdict JudgeAnswer(HttpResponseMessage response, bool retryByStatus) =>
        response.Headers.Contains(AppChannel.GrpcApp.GrpcInvocation.StatusHeader)
            ? retryByStatus || response.IsSuccessStatusCode ? AttemptVerdict.Success : AttemptVerdict.Failure
            : JudgeHttpAnswer(response, retryByStatus);

    private static AttemptVerdict JudgeHttpAnswer(HttpResponseMessage response, bool retryByStatus) => (int)response.StatusCode switch
    {
        >= 200 and <= 299 => AttemptVerdict.Success,
        >= 300 and <= 399 when retryByStatus => AttemptVerdict.Success,
        var status => retryByStatus ? AttemptVerdict.FailureWithStatus(status) : AttemptVerdict.Failure,
    };

    /// <summary>One attempt: an instance, and the next ones while they refuse connections and the body can be resent.</summary>
    private async Task<HttpResponseMessage> AttemptAsync(
        InvocationRequest request, List<KeyValuePair<string, IEnumerable<string>>> headers, ReplayableBody? body,
        string traceParent, CancellationToken cancellationToken)
    {
        var tried = new HashSet<string>(StringComparer.Ordinal);
        HttpRequestException? refused = null;
        while (true)
        {
            var target = await resolver.ResolveAsync(request.AppId, tried, cancellationToken);
            if (target is null)
            {
                throw refused as Exception
                    ?? InvocationErrors.DirectInvoke(request.AppId, $"couldn't find service: {request.AppId}").ToException();
            }

            var message = Message(request, headers, body, traceParent);
            switch (target)
            {
                case LocalTarget local:
                    return await LocalAppCall.SendAsync(local.Services, request.AppId, message, cancellationToken);
                case RemoteTarget { Instance: var instance }:
                    try
                    {
                        return await remote.SendAsync(instance, message, cancellationToken);
                    }
                    catch (HttpRequestException e) when (IsRefused(e) || e is SidecarGoneException)
                    {
                        resolver.ReportUnreachable(instance);
                        LogInstanceRefused(request.AppId, instance.Address);
                        if (request.Body is not null && body is not { CanReplay: true })
                        {
                            throw;
                        }

                        refused = e;
                        tried.Add(target.Key);
                        break;
                    }
            }
        }
    }

    /// <summary>The request to the app, relative to wherever it goes: method and query, the caller's headers, Dapr's own.</summary>
    private HttpRequestMessage Message(
        InvocationRequest request, List<KeyValuePair<string, IEnumerable<string>>> headers, ReplayableBody? body, string traceParent)
    {
        var message = new HttpRequestMessage(request.Method, new Uri(request.PathAndQuery.TrimStart('/'), UriKind.Relative));
        var stream = body?.Open() ?? request.Body;
        if (stream is not null)
        {
            message.Content = ForwardedHeaders.ContentFor(stream, request.ContentType, body is { CanReplay: true } ? null : request.ContentLength);
        }

        ForwardedHeaders.CopyTo(message, headers.Where(h => !h.Key.Equals("content-type", StringComparison.OrdinalIgnoreCase)));
        message.Headers.Remove(TraceContext.TraceParentHeader);
        message.Headers.TryAddWithoutValidation(TraceContext.TraceParentHeader, traceParent);
        message.Headers.Remove(DaprHeaders.CallerAppId);
        message.Headers.TryAddWithoutValidation(DaprHeaders.CallerAppId, options.AppId);
        message.Headers.Remove(DaprHeaders.CalleeAppId);
        message.Headers.TryAddWithoutValidation(DaprHeaders.CalleeAppId, request.AppId);
        message.Headers.Remove(DaprHeaders.AppId);
        return message;
    }

    /// <summary>Nothing reached the app: safe to send the same request to another instance.</summary>
    private static bool IsRefused(HttpRequestException e) =>
        e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Invoking {AppId} {Method} failed: {Error}")]
    private partial void LogInvokeFailed(string appId, string method, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The instance of {AppId} at {Address} is not there; trying another")]
    private partial void LogInstanceRefused(string appId, string address);
}
