using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ServiceDefaults.Http;
using ServiceDefaults.OpenApi;
using ServiceDefaults.State;
using ServiceDefaults.Telemetry;

namespace ServiceDefaults;

/// <summary>
/// What every service of the system shares: problem details, health, logging, telemetry, the OpenAPI document, the app
/// API token, Kestrel binding and graceful shutdown.
/// </summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>Liveness (Kubernetes livenessProbe): the process serves requests. No checks, so a sidecar or store outage never restarts the app.</summary>
    public const string LivePath = "/health/live";

    /// <summary>Readiness (Kubernetes readinessProbe and Dapr's app health check): the app can reach its sidecar.</summary>
    public const string ReadyPath = "/health/ready";

    private const string ReadyTag = "ready";

    /// <summary>The variable through which Dapr hands the app the token its sidecar sends in <c>dapr-api-token</c>.</summary>
    public const string AppApiTokenKey = "APP_API_TOKEN";

    private const string DaprPolicy = "Dapr";

    /// <summary>
    /// Registers problem details, the one exception handler, health checks, structured logging, the service's
    /// <c>DaprClient</c> (<see cref="DaprClientDefaults.AddServiceDaprClient"/>) and <see cref="OptimisticState"/>
    /// (which needs it), and binds Kestrel
    /// to <c>127.0.0.1:$APP_PORT</c> when no URL is configured (the Dapr CLI and the local runner set <c>APP_PORT</c>).
    /// </summary>
    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
        builder.Services.AddHttpClient(DaprSidecarHealthCheck.ClientName, c => c.Timeout = TimeSpan.FromSeconds(2));
        builder.Services.AddHealthChecks().AddCheck<DaprSidecarHealthCheck>("dapr-sidecar", tags: [ReadyTag]);
        builder.Services.AddOptions<OptimisticConcurrencyOptions>()
            .Bind(builder.Configuration.GetSection(OptimisticConcurrencyOptions.SectionName))
            .Validate(o => o.MaxAttempts >= 1, "OptimisticConcurrency:MaxAttempts must be 1 or more.")
            .Validate(o => o.MaxBackoff >= TimeSpan.Zero, "OptimisticConcurrency:MaxBackoff must not be negative.")
            .ValidateOnStart();
        builder.Services.AddServiceDaprClient();
        builder.Services.AddSingleton<OptimisticState>();

        // Bad input is answered by the exception handler as problem details naming the field, in every environment
        // (minimal APIs otherwise answer a bare 400 outside Development), and bodies are bounded.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        // A number is a JSON number: "2" for a quantity is a wrong type, not a quantity (the web defaults accept it).
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict);
        var maxBodyBytes = RequestBodyLimit.MaxBodyBytes(builder.Configuration);
        builder.WebHost.ConfigureKestrel(o => o.Limits.MaxRequestBodySize = maxBodyBytes);

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

    /// <summary>Adds the exception handler, status-code problem details, the body size limit and the liveness and readiness endpoints.</summary>
    public static WebApplication UseServiceDefaults(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRequestBodyLimit(RequestBodyLimit.MaxBodyBytes(app.Configuration));
        app.MapServiceOpenApi();
        app.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = _ => false })
            .AllowAnonymous().WithName("Liveness").WithSummary("200 while the process serves requests; checks nothing else.");
        app.MapHealthChecks(ReadyPath, new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag) })
            .AllowAnonymous().WithName("Readiness").WithSummary("200 when the Dapr sidecar answers /v1.0/healthz/outbound, else 503.");
        return app;
    }
}
