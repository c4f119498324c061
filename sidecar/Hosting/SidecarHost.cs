using Microsoft.AspNetCore.Server.Kestrel.Core;
using Sidecar.Api.Grpc;
using Sidecar.Api.Http;
using Sidecar.Components;
using Sidecar.Observability;

namespace Sidecar.Hosting;

/// <summary>
/// One running sidecar: the Dapr HTTP API on <see cref="SidecarOptions.HttpPort"/> and the gRPC API (Dapr and
/// workflow services) on <see cref="SidecarOptions.GrpcPort"/>, over the building blocks and components of one app.
/// </summary>
public sealed class SidecarHost : IAsyncDisposable
{
    /// <summary>How long a disposed sidecar lets requests in flight finish before their connections are cut.</summary>
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);

    private readonly WebApplication _app;
    private readonly SidecarNetwork _network;

    private SidecarHost(WebApplication app, SidecarOptions options, SidecarNetwork network)
    {
        _app = app;
        _network = network;
        Options = options;
    }

    /// <summary>The flags this sidecar runs with.</summary>
    public SidecarOptions Options { get; }

    /// <summary>The sidecar's services (building blocks, components).</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Completes when the sidecar was asked to stop (gRPC <c>Shutdown</c>) or has stopped.</summary>
    public CancellationToken Stopping => _app.Lifetime.ApplicationStopping;

    /// <summary>
    /// Loads the app's resources, binds both ports and starts serving. Fails fast (with the file or setting that is
    /// wrong) when a component cannot be served or a port is taken. <paramref name="configureServices"/> runs before
    /// the defaults are added, so tests can replace parts (e.g. a fake <see cref="TimeProvider"/>).
    /// </summary>
    public static async Task<SidecarHost> StartAsync(
        SidecarOptions options, SidecarNetwork network, Action<ILoggingBuilder>? configureLogging = null,
        CancellationToken cancellationToken = default, Action<IServiceCollection>? configureServices = null)
    {
        options = ObservabilityHosting.ResolveMetricsPort(options, out var metricsNotice);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(SidecarHost).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });

        builder.Logging.ClearProviders();
        // Per-request framework logs would drown the app's own output in the runner's console.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        // A start that fails is reported by the CLI in one line naming the file or setting; the host's own "failed to
        // start" entry would print the same error again with its stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        configureLogging?.Invoke(builder.Logging);
        builder.Services.AddSingleton<IHostLifetime, CliOwnedLifetime>();

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            var address = System.Net.IPAddress.Parse(options.ListenAddress);
            // Dapr's HTTP API is HTTP/1.1; HTTP/2 without TLS would only be reachable with prior knowledge.
            kestrel.Listen(address, options.HttpPort, o => o.Protocols = HttpProtocols.Http1);
            // An http:// gRPC endpoint is cleartext HTTP/2 (h2c): the port must speak HTTP/2 only.
            kestrel.Listen(address, options.GrpcPort, o => o.Protocols = HttpProtocols.Http2);
        });

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(network);
        configureServices?.Invoke(builder.Services);
        builder.Services.TryAddSingleton(TimeProvider.System);
        // Loaded here, before anything is registered or listens: malformed YAML fails the start, and what reads the
        // resources while the host is being built (tracing) reads the same set the building blocks get.
        var resources = ResourceLoader.Load(options);
        builder.Services.AddSidecarRuntime(resources);
        builder.Services.AddRequestBodyLimit(options);
        builder.AddSidecarObservability(options, resources);

        var app = builder.Build();
        if (metricsNotice is not null)
        {
            app.Logger.LogWarning("{Notice}", metricsNotice);
        }

        app.UseSidecarObservability(options);
        app.UseMiddleware<Api.Http.UnhandledErrorMiddleware>();
        app.MapDaprHttpApi();
        app.MapDaprGrpcApi();
        app.MapWorkflowGrpc();

        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            // A start that fails (a component that cannot be served, a port taken) must not leave ports or files held.
            await app.DisposeAsync();
            throw;
        }

        network.Register(options.AppId, app.Services);
        return new SidecarHost(app, options, network);
    }

    /// <summary>Stops serving and releases the sidecar's components.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        _network.Unregister(Options.AppId);
        await _app.StopAsync(cancellationToken);
    }

    /// <summary>
    /// Stops (with <see cref="StopGrace"/> for requests in flight), then releases everything. Stopping first is what
    /// ends each hosted service through its StopAsync: a host disposed while running cancels its background services
    /// underneath it, and reports each one that ends by that cancellation as a crashed service (a "BackgroundService
    /// failed" entry with a stack trace on every shutdown) and skips their StopAsync (subscriptions left open).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        _network.Unregister(Options.AppId);
        using (var grace = new CancellationTokenSource(StopGrace))
        {
            await _app.StopAsync(grace.Token);
        }

        await _app.DisposeAsync();
    }
}
