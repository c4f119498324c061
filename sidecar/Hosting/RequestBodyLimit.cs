using System.Net;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.AspNetCore.Http.Features;
using Sidecar.Api.Http;
using Sidecar.Errors;

namespace Sidecar.Hosting;

/// <summary>
/// <c>--max-body-size</c> as daprd enforces it (dapr/dapr <c>pkg/api/http/server.go</c> useMaxBodySize,
/// <c>pkg/api/grpc/server.go</c> MaxRecvMsgSize/MaxSendMsgSize): on the HTTP port every body is read through a
/// <see cref="LimitedReadStream"/>, so the handler reading it answers with its own error naming "stream too large"
/// (state: 400 ERR_MALFORMED_REQUEST, publish: 500 ERR_PUBSUB_PUBLISH_MESSAGE, invocation: 500 ERR_DIRECT_INVOKE);
/// on the gRPC port a larger message is <c>ResourceExhausted</c>. Zero or less is no limit.
/// </summary>
internal sealed class RequestBodyLimitMiddleware(RequestDelegate next, SidecarOptions options)
{
    private static readonly DaprError BodyRead =
        new("ERR_BODY_READ", "failed to read request body: stream too large", HttpStatusCode.BadRequest, StatusCode.InvalidArgument);

    public async Task InvokeAsync(HttpContext context)
    {
        if (options.MaxBodySize <= 0 || context.Connection.LocalPort != options.HttpPort)
        {
            await next(context);
            return;
        }

        // Kestrel's own 30 MB cap would answer first (413) for limits above it: this limit replaces it.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } kestrelLimit)
        {
            kestrelLimit.MaxRequestBodySize = null;
        }

        context.Request.Body = new LimitedReadStream(context.Request.Body, options.MaxBodySize);
        try
        {
            await next(context);
        }
        catch (RequestBodyTooLargeException) when (!context.Response.HasStarted)
        {
            // A handler without an answer of its own for an unreadable body.
            await DaprErrorResults.WriteAsync(context, BodyRead);
        }
    }
}

/// <summary>Puts <see cref="RequestBodyLimitMiddleware"/> in front of the pipeline, as daprd's router installs it first.</summary>
internal sealed class RequestBodyLimitStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.UseMiddleware<RequestBodyLimitMiddleware>();
        next(app);
    };
}

internal static class RequestBodyLimitRegistration
{
    public static IServiceCollection AddRequestBodyLimit(this IServiceCollection services, SidecarOptions options)
    {
        services.TryAddEnumerable(ServiceDescriptor.Transient<IStartupFilter, RequestBodyLimitStartupFilter>());
        var limit = options.MaxBodySize > 0 ? (int?)Math.Min(options.MaxBodySize, int.MaxValue) : null;
        services.Configure<GrpcServiceOptions>(grpc =>
        {
            grpc.MaxReceiveMessageSize = limit;
            grpc.MaxSendMessageSize = limit;
        });
        return services;
    }
}
