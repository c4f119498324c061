using Sidecar.AppChannel;
using Sidecar.AppChannel.Resiliency;
using Sidecar.Errors;
using Sidecar.Hosting;

namespace Sidecar.Invocation;

/// <summary>
/// Service invocation: finds the target's sidecar in the <see cref="SidecarNetwork"/> and calls its app through the
/// target's own app channel (so the target's APP_API_TOKEN and health apply), under this app's resiliency policy for
/// the target (<c>targets.apps.&lt;appId&gt;</c>: retries on connection failures and non-2xx answers, by its <c>matching</c>,
/// when the body can be replayed).
/// </summary>
internal sealed partial class ServiceInvoker(
    SidecarNetwork network, SidecarOptions options, IResiliencyPolicies policies, ILogger<ServiceInvoker> logger)
    : IServiceInvoker
{
    public async Task<HttpResponseMessage> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken)
    {
        var target = network.Resolve(request.AppId)
            ?? throw InvocationErrors.DirectInvoke(request.AppId, $"couldn't find service: {request.AppId}").ToException();
        var channel = target.GetRequiredService<IAppChannel>();
        if (!channel.IsConfigured)
        {
            throw InvocationErrors.DirectInvoke(request.AppId, "app channel is not initialized (the app has no app port)").ToException();
        }

        if (!target.GetRequiredService<IAppHealth>().IsHealthy)
        {
            throw InvocationErrors.DirectInvoke(request.AppId, "app is not in a healthy state").ToException();
        }

        // daprd keys the breaker by app and method (the path without its query).
        var method = request.PathAndQuery.Split('?', 2)[0].TrimStart('/');
        var runner = policies.RunnerForApp(request.AppId, method);
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
                token => SendOnceAsync(channel, request, headers, body, traceParent, token),
                response => JudgeAnswer(response, request.RetryByStatus),
                response => response.Dispose(),
                cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutException or CircuitBreakerOpenException
                                   || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogInvokeFailed(request.AppId, request.PathAndQuery, ex.Message);
            throw InvocationErrors.DirectInvoke(request.AppId, ex.Message).ToException();
        }
    }

    // An answer outside 200-399 is a failure the breaker counts and the retry policy retries unless its matching
    // excludes the status; when retries end, the app's last answer goes back to the caller verbatim.
    // dapr/dapr pkg/api/http/directmessaging.go onDirectMessage (resiliency.NewCodeError for non-2xx)
    // dapr/dapr pkg/api/grpc/grpc.go InvokeService instead turns every answer outside 2xx into a gRPC status error,
    // which matching never sees.
    private static AttemptVerdict JudgeAnswer(HttpResponseMessage response, bool retryByStatus) => (int)response.StatusCode switch
    {
        >= 200 and <= 299 => AttemptVerdict.Success,
        >= 300 and <= 399 when retryByStatus => AttemptVerdict.Success,
        var status => retryByStatus ? AttemptVerdict.FailureWithStatus(status) : AttemptVerdict.Failure,
    };

    private Task<HttpResponseMessage> SendOnceAsync(
        IAppChannel channel, InvocationRequest request, List<KeyValuePair<string, IEnumerable<string>>> headers,
        ReplayableBody? body, string traceParent, CancellationToken cancellationToken)
    {
        var message = new HttpRequestMessage(request.Method, channel.UriFor(request.PathAndQuery));
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
        return SendAndReleaseAsync(channel, message, cancellationToken);
    }

    private static async Task<HttpResponseMessage> SendAndReleaseAsync(
        IAppChannel channel, HttpRequestMessage message, CancellationToken cancellationToken)
    {
        try
        {
            return await channel.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch
        {
            message.Dispose();
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Invoking {AppId} {Method} failed: {Error}")]
    private partial void LogInvokeFailed(string appId, string method, string error);
}
