using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ServiceDefaults.OpenApi;
using ServiceDefaults.Telemetry;

namespace ServiceDefaults;

/// <summary>
/// What every service of the system shares: problem details, health, logging, telemetry, the OpenAPI document, the app
/// API token, Kestrel binding and graceful shutdown.
/// </summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>The route Dapr app health checks, Kubernetes probes and the local runner call.</summary>
    public const string HealthPath = "/healthz";

    /// <summary>The variable through which Dapr hands the app the token its sidecar sends in <c>dapr-api-token</c>.</summary>
    public const string AppApiTokenKey = "APP_API_TOKEN";

    private const string DaprPolicy = "Dapr";

    /// <summary>
    /// Registers problem details, the one exception handler, health checks and structured logging, and binds Kestrel
    /// to <c>127.0.0.1:$APP_PORT</c> when no URL is configured (the Dapr CLI and the local runner set <c>APP_PORT</c>).
    /// </summary>
    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
        builder.Services.AddHealthChecks();

        // Structured logs: JSON lines when asked for (Kubernetes), readable single lines otherwise.
        builder.Logging.ClearProviders();
        if (builder.Configuration.GetValue<bool>("Logging:Json"))
        {
            builder.Logging.AddJsonConsole();
        }
        else
        {
            builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; });
        }

        builder.AddServiceTelemetry();
        builder.Services.AddServiceOpenApi();

        // On SIGTERM the host stops accepting connections and drains in-flight requests for this long.
        builder.Services.Configure<HostOptions>(o =>
            o.ShutdownTimeout = builder.Configuration.GetValue("ShutdownTimeout", TimeSpan.FromSeconds(20)));

        // Behind a sidecar that sends APP_API_TOKEN (Kubernetes: dapr.io/app-token-secret), only callers with the token
        // get in; health stays open for the kubelet's probes.
        var appApiToken = builder.Configuration[AppApiTokenKey];
        if (!string.IsNullOrEmpty(appApiToken))
        {
            builder.Services.AddAuthentication().AddDapr(o => o.Token = appApiToken);
            builder.Services.AddAuthorization(o =>
            {
                o.AddDapr(DaprPolicy);
                o.FallbackPolicy = o.GetPolicy(DaprPolicy);
            });
        }

        var urlsConfigured = !string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]);
        if (!urlsConfigured && int.TryParse(builder.Configuration["APP_PORT"], out var appPort))
        {
            builder.WebHost.UseUrls($"http://127.0.0.1:{appPort}");
        }

        return builder;
    }

    /// <summary>Adds the exception handler, status-code problem details and the <c>/healthz</c> endpoint.</summary>
    public static WebApplication UseServiceDefaults(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapServiceOpenApi();
        app.MapHealthChecks(HealthPath).AllowAnonymous().WithName("Health").WithSummary("Liveness and readiness of the service.");
        return app;
    }
}
