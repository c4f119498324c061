using System.Diagnostics;
using Sidecar.AppChannel;
using Sidecar.AppChannel.Resiliency;
using Sidecar.Errors;
using Sidecar.Hosting;
using Sidecar.Observability;

namespace Sidecar.Invocation;

/// <summary>
/// Service invocation: finds the target's sidecar in the <see cref="SidecarNetwork"/> and calls its app through the
/// target's own app channel (so the target's APP_API_TOKEN and health apply), under this app's resiliency policy for
/// the target (<c>targets.apps.&lt;appId&gt;</c>: retries on connection failures and 5xx when the body can be replayed).
/// </summary>
internal sealed partial class ServiceInvoker(
    SidecarNetwork network, SidecarOptions options, IResiliencyPolicies policies, TimeProvider time, ILogger<ServiceInvoker> logger)
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

        var policy = policies.ForApp(request.AppId);
        var body = request.Body is null ? null
            : policy?.Retry is null ? null : await ReplayableBody.ReadAsync(request.Body, cancellationToken);
        var effective = body is { CanReplay: false } ? policy! with { Retry = null } : policy;

        var headers = request.Headers.ToList();
        var traceParent = TraceContext.OrNew(headers.FirstOrDefault(h =>
            h.Key.Equals(TraceContext.TraceParentHeader, StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault());

        // The target's sidecar records its side of the call (CallLocal, kind server) and the app becomes its child.
        using var calleeSpan = target.GetService<SidecarTelemetry>()?.StartSpan(
            $"CallLocal/{request.AppId}/{request.PathAndQuery.Split('?', 2)[0]}", ActivityKind.Server, traceParent,
            headers.FirstOrDefault(h => h.Key.Equals(TraceContext.TraceStateHeader, StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault());
        if (calleeSpan is not null)
        {
            calleeSpan.SetTag("rpc.service", "ServiceInvocation");
            calleeSpan.SetTag("dapr.invoke_method", request.PathAndQuery.Split('?', 2)[0]);
            traceParent = calleeSpan.Id!;
        }

        var targetName = $"app {request.AppId}";
        var runner = new PolicyRunner(effective, policies.BreakerFor(targetName, effective?.CircuitBreaker), time, targetName);
        try
        {
            return await runner.RunAsync(
                token => SendOnceAsync(channel, request, headers, body, traceParent, token),
                response => (int)response.StatusCode >= 500,
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
