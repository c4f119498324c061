using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ServiceDefaults.Telemetry;

/// <summary>
/// OpenTelemetry as dotnet/eShop's ServiceDefaults wire it: traces (ASP.NET Core, HttpClient, gRPC client and the Dapr
/// workflow SDK), metrics (ASP.NET Core, HttpClient, runtime and the services' own <c>DaprShop.*</c> meters) and logs,
/// exported over OTLP only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the runner's dashboard, or any collector).
/// </summary>
public static class TelemetryExtensions
{
    /// <summary>The prefix of every domain meter; a service names its meter <c>DaprShop.&lt;Service&gt;</c>.</summary>
    public const string MeterPrefix = "DaprShop.";

    /// <summary>The OTLP endpoint variable; its presence turns the exporter on.</summary>
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The service name variable, honoured as the OpenTelemetry SDK honours it.</summary>
    public const string ServiceNameKey = "OTEL_SERVICE_NAME";

    /// <summary>The ActivitySource through which Dapr.Workflow traces workflow turns and activities.</summary>
    private const string DaprWorkflowSource = "Dapr.Workflow";

    /// <summary>Registers tracing, metrics and OpenTelemetry logging; adds the OTLP exporter when an endpoint is set.</summary>
    public static WebApplicationBuilder AddServiceTelemetry(this WebApplicationBuilder builder)
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        var telemetry = builder.Services.AddOpenTelemetry();

        // The SDK reads OTEL_SERVICE_NAME itself; only without it does the Dapr app id (or the project) name the service.
        if (string.IsNullOrEmpty(builder.Configuration[ServiceNameKey]))
        {
            var name = builder.Configuration["APP_ID"] is { Length: > 0 } appId ? appId : builder.Environment.ApplicationName;
            telemetry.ConfigureResource(resource => resource.AddService(name));
        }

        telemetry
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(MeterPrefix + "*"))
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName, DaprWorkflowSource)
                // Probes every few seconds would bury the traces worth reading.
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsHealthProbe(context.Request.Path))
                .AddHttpClientInstrumentation()
                .AddGrpcClientInstrumentation());

        if (!string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointKey]))
        {
            // One exporter for logs, metrics and traces; it reads OTEL_EXPORTER_OTLP_PROTOCOL (grpc or http/protobuf).
            telemetry.UseOtlpExporter();
        }

        return builder;
    }

    private static bool IsHealthProbe(PathString path) =>
        path.StartsWithSegments(ServiceDefaultsExtensions.LivePath, StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments(ServiceDefaultsExtensions.ReadyPath, StringComparison.OrdinalIgnoreCase);
}
