using System.Net;
using System.Net.Sockets;
using Sidecar.AppChannel.GrpcApp;
using Sidecar.AppChannel.Resiliency;
using Sidecar.Hosting;
using Sidecar.Invocation;
using Sidecar.NameResolution;

namespace Sidecar.Api.Grpc.Proxy;

/// <summary>
/// gRPC proxying: a call on the sidecar's gRPC port that carries <c>dapr-app-id</c> (or, from another sidecar,
/// <c>dapr-callee-app-id</c>) for a service this sidecar does not serve goes on, frames untouched, to that app's gRPC
/// server: straight to it when its sidecar runs in this process (with that sidecar's APP_API_TOKEN), else to its
/// sidecar's gRPC port, which hands it to its app. The target's resiliency policy applies; a call is retried only when
/// the far side refused it before answering anything and its request fitted in the replay buffer, and never with
/// metadata <c>dapr-stream: true</c>.
/// </summary>
// dapr/dapr pkg/api/grpc/proxy/handler.go, pkg/messaging/grpc_proxy.go intercept
internal static partial class GrpcProxy
{
    /// <summary>daprd's metadata that marks a streaming call: its request is never buffered for a retry.</summary>
    public const string StreamHeader = "dapr-stream";

    // Services the sidecar serves itself: calls to them are never proxied (daprd proxies only unknown services).
    private static readonly HashSet<string> OwnServices = new(StringComparer.Ordinal)
    {
        Dapr.Client.Autogen.Grpc.v1.Dapr.Descriptor.FullName,
        Dapr.DurableTask.Protobuf.TaskHubSidecarService.Descriptor.FullName,
        "grpc.reflection.v1alpha.ServerReflection",
        "grpc.reflection.v1.ServerReflection",
    };

    private static readonly HashSet<string> NotForwarded = new(StringComparer.OrdinalIgnoreCase)
    {
        "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "host", "content-length", "te", "trailer",
        DaprHeaders.ApiToken, DaprHeaders.AppId, InternalInvocation.TokenHeader,
    };

    public static WebApplication UseGrpcProxy(this WebApplication app)
    {
        app.Use(ProxyIfAddressedToAnApp);
        return app;
    }

    /// <summary>
    /// A proxied call from another sidecar of this run, for this sidecar's app (never for the sidecar's own services):
    /// the caller presents the registration token, not this sidecar's API token (see <see cref="Http.ApiTokenMiddleware"/>).
    /// </summary>
    public static bool IsFromAnotherSidecar(HttpContext context) =>
        IsGrpc(context)
        && context.Request.Headers[DaprHeaders.CalleeAppId].FirstOrDefault() == context.RequestServices.GetRequiredService<SidecarOptions>().AppId
        && !OwnServices.Contains(ServiceOf(context.Request.Path.Value))
        && context.Request.Headers[InternalInvocation.TokenHeader].FirstOrDefault() is { Length: > 0 } token
        && context.RequestServices.GetRequiredService<NameRegistration>().IsInternalToken(token);

    private static Task ProxyIfAddressedToAnApp(HttpContext context, RequestDelegate next)
    {
        var options = context.RequestServices.GetRequiredService<SidecarOptions>();
        if (context.Connection.LocalPort != options.GrpcPort || !IsGrpc(context) || TargetAppId(context) is not { } appId
            || OwnServices.Contains(ServiceOf(context.Request.Path.Value)))
        {
            return next(context);
        }

        return ProxyAsync(context, options, appId);
    }

    private static string? TargetAppId(HttpContext context) =>
        context.Request.Headers[DaprHeaders.CalleeAppId].FirstOrDefault() is { Length: > 0 } callee ? callee
        : context.Request.Headers[DaprHeaders.AppId].FirstOrDefault() is { Length: > 0 } appId ? appId
        : null;

    private static bool IsGrpc(HttpContext context) =>
        context.Request.Protocol == "HTTP/2"
        && context.Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true;

    private static string ServiceOf(string? path)
    {
        var trimmed = (path ?? "").TrimStart('/');
        var slash = trimmed.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? trimmed : trimmed[..slash];
    }

    private static async Task ProxyAsync(HttpContext context, SidecarOptions options, string appId)
    {
        var services = context.RequestServices;
        var method = context.Request.Path.Value!.TrimStart('/');
        // daprd applies the target's policy on the caller's side only: a call for this sidecar's own app (from another
        // sidecar, or the app calling itself) runs once (dapr/dapr pkg/messaging/grpc_proxy.go Handler, isLocal: NoOp).
        var runner = appId == options.AppId
            ? new PolicyRunner(null, null, TimeProvider.System, $"app {appId}")
            : services.GetRequiredService<IResiliencyPolicies>().RunnerForApp(appId, method);
        var isStream = context.Request.Headers[StreamHeader].FirstOrDefault() is { } s
                       && (s.Equals("true", StringComparison.OrdinalIgnoreCase) || s == "1");
        ReplayableBody? body = null;
        if (runner.HasRetries && !isStream)
        {
            body = await ReplayableBody.ReadAsync(context.Request.Body, context.RequestAborted);
        }

        if (body is not { CanReplay: true })
        {
            runner = runner.WithoutRetries();
        }

        HttpResponseMessage response;
        try
        {
            response = await runner.RunAsync(
                token => AttemptAsync(context, options, appId, body, token),
                ProxyAnswerVerdict.Judge,
                r => r.Dispose(),
                context.RequestAborted);
        }
        catch (ProxyException e)
        {
            WriteError(context, e.Code, e.Message);
            return;
        }
        catch (Exception e) when (GrpcMessageTooLargeException.In(e) is { } tooLarge)
        {
            WriteError(context, global::Grpc.Core.StatusCode.ResourceExhausted, tooLarge.Message);
            return;
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutException or CircuitBreakerOpenException
                                   || (e is OperationCanceledException && !context.RequestAborted.IsCancellationRequested))
        {
            WriteError(context, e is TimeoutException or OperationCanceledException ? global::Grpc.Core.StatusCode.DeadlineExceeded
                : global::Grpc.Core.StatusCode.Unavailable, $"failed to proxy request to '{appId}': {e.Message}");
            return;
        }

        using (response)
        {
            await CopyAnswerAsync(context, response, GrpcMessageCopy.Limit(options.MaxBodySize));
        }
    }

    private static async Task<HttpResponseMessage> AttemptAsync(
        HttpContext context, SidecarOptions options, string appId, ReplayableBody? body, CancellationToken cancellationToken)
    {
        var services = context.RequestServices;
        var resolver = services.GetRequiredService<INameResolver>();
        var target = await resolver.ResolveAsync(appId, new HashSet<string>(), cancellationToken)
                     ?? throw new ProxyException(global::Grpc.Core.StatusCode.Unavailable, $"failed to proxy request: couldn't find service: {appId}");

        var request = new HttpRequestMessage(HttpMethod.Post, "/")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new StreamingContent(body?.Open() ?? context.Request.Body, GrpcMessageCopy.Limit(options.MaxBodySize)),
        };
        foreach (var (name, values) in context.Request.Headers)
        {
            if (name.StartsWith(':') || NotForwarded.Contains(name))
            {
                continue;
            }

            if (!request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
            {
                request.Content.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        request.Headers.TryAddWithoutValidation("te", "trailers");
        Uri address;
        switch (target)
        {
            case LocalTarget local:
                // The app behind a sidecar of this process (this one included): straight to it, with its app token.
                var app = local.Services.GetRequiredService<AppCallbackClients>();
                if (app.Address is null)
                {
                    throw new ProxyException(global::Grpc.Core.StatusCode.Unavailable,
                        $"failed to proxy request: app '{appId}' does not serve gRPC (its app protocol is not grpc or grpcs, or it has no app port)");
                }

                address = app.Address;
                var appToken = local.Services.GetRequiredService<SidecarOptions>().AppApiToken;
                if (!string.IsNullOrEmpty(appToken))
                {
                    request.Headers.TryAddWithoutValidation(DaprHeaders.ApiToken, appToken);
                }

                request.Headers.Remove(DaprHeaders.CalleeAppId);
                break;
            case RemoteTarget { Instance: var instance }:
                // Another process: its sidecar's gRPC port, which knows the call by dapr-callee-app-id and this run's token.
                address = new Uri($"http://{instance.Host}:{instance.GrpcPort}");
                request.Headers.Remove(DaprHeaders.CallerAppId);
                request.Headers.TryAddWithoutValidation(DaprHeaders.CallerAppId, options.AppId);
                request.Headers.Remove(DaprHeaders.CalleeAppId);
                request.Headers.TryAddWithoutValidation(DaprHeaders.CalleeAppId, appId);
                request.Headers.TryAddWithoutValidation(InternalInvocation.TokenHeader, instance.InternalToken);
                break;
            default:
                throw new InvalidOperationException($"unknown target {target}");
        }

        request.RequestUri = new Uri(address, context.Request.Path.Value + context.Request.QueryString.Value);
        try
        {
            return await services.GetRequiredService<GrpcProxyClients>().For(address)
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException e) when (target is RemoteTarget { Instance: var gone }
                                             && e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
        {
            resolver.ReportUnreachable(gone);
            throw;
        }
    }

    /// <summary>
    /// The far side's status line, headers, messages (flushed one by one) and trailers, as they come; a message over
    /// <paramref name="limit"/> ends the call ResourceExhausted instead.
    /// </summary>
    private static async Task CopyAnswerAsync(HttpContext context, HttpResponseMessage response, int? limit)
    {
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (!NotForwarded.Contains(name))
            {
                context.Response.Headers[name] = values.ToArray();
            }
        }

        var trailersOnly = response.Headers.Contains("grpc-status");
        var cancellation = context.RequestAborted;
        await using var frames = await response.Content.ReadAsStreamAsync(cancellation);
        if (!trailersOnly)
        {
            // Headers first: a server stream's caller sees them before the first message.
            await context.Response.Body.FlushAsync(cancellation);
        }

        try
        {
            await GrpcMessageCopy.CopyAsync(frames, context.Response.Body, limit, cancellation);
        }
        catch (Exception e) when (GrpcMessageTooLargeException.In(e) is { } tooLarge)
        {
            // Headers may be out already: the status goes in the trailers, as daprd's proxy ends the call.
            context.Response.AppendTrailer("grpc-status", ((int)global::Grpc.Core.StatusCode.ResourceExhausted).ToString(System.Globalization.CultureInfo.InvariantCulture));
            context.Response.AppendTrailer("grpc-message", Uri.EscapeDataString(tooLarge.Message));
            return;
        }

        foreach (var (name, values) in response.TrailingHeaders)
        {
            context.Response.AppendTrailer(name, values.ToArray());
        }
    }

    /// <summary>A trailers-only gRPC error of the proxy itself.</summary>
    private static void WriteError(HttpContext context, global::Grpc.Core.StatusCode code, string message)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/grpc";
        context.Response.Headers["grpc-status"] = ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Response.Headers["grpc-message"] = Uri.EscapeDataString(message);
    }

    private sealed class ProxyException(global::Grpc.Core.StatusCode code, string message) : Exception(message)
    {
        public global::Grpc.Core.StatusCode Code { get; } = code;
    }
}
