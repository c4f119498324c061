using Sidecar.Hosting;
using Sidecar.Tests.Infrastructure;

namespace Sidecar.Tests.GrpcApp;

/// <summary>
/// The test gRPC app behind its sidecar (app protocol <c>grpc</c>, APP_API_TOKEN set) and a caller sidecar without an
/// app. <paramref name="Remote"/>: the two sidecars share only a name registry file, as sidecars of two processes do;
/// otherwise they share one in-process network. <c>apiToken</c> is both sidecars' DAPR_API_TOKEN.
/// </summary>
internal sealed class GrpcAppHarness(ResourcesFolder resources, SidecarNetwork? network, GrpcTestApp app, TestSidecar target, TestSidecar caller)
    : IAsyncDisposable
{
    public const string AppToken = "app-secret";

    public GrpcTestApp App => app;

    public TestSidecar Target => target;

    public TestSidecar Caller => caller;

    public string TargetId => target.Options.AppId;

    public static async Task<GrpcAppHarness> StartAsync(
        bool remote = false, Func<SidecarOptions, SidecarOptions>? configureTarget = null, string? apiToken = null,
        Func<SidecarOptions, SidecarOptions>? configureCaller = null, params (string File, string Yaml)[] extraResources)
    {
        var resources = ResourcesFolder.InMemory();
        foreach (var (file, yaml) in extraResources)
        {
            await File.WriteAllTextAsync(Path.Combine(resources.Path, file), yaml);
        }

        var registry = remote ? Path.Combine(resources.Path, "nr.db") : null;
        var network = remote ? null : new SidecarNetwork();
        var app = await GrpcTestApp.StartAsync();
        var target = await TestSidecar.StartAsync($"grpcapp-{Guid.NewGuid():N}", resources.Path, o =>
        {
            var options = o with
            {
                AppPort = app.Port, AppProtocol = "grpc", AppApiToken = AppToken, NameRegistryFile = registry, ApiToken = apiToken,
            };
            return configureTarget?.Invoke(options) ?? options;
        }, network);
        var caller = await TestSidecar.StartAsync($"caller-{Guid.NewGuid():N}", resources.Path, o =>
        {
            var options = o with { NameRegistryFile = registry, ApiToken = apiToken };
            return configureCaller?.Invoke(options) ?? options;
        }, network);
        return new GrpcAppHarness(resources, network, app, target, caller);
    }

    public async ValueTask DisposeAsync()
    {
        await caller.DisposeAsync();
        await target.DisposeAsync();
        await app.DisposeAsync();
        if (network is not null)
        {
            await network.DisposeAsync();
        }

        resources.Dispose();
    }
}
