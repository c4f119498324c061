using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Sidecar.Hosting;
using Sidecar.PubSub.Subscriptions;
using Sidecar.Tests.Infrastructure;
using Sidecar.Tests.PubSub.Brokers;

namespace Sidecar.Tests.PubSub;

/// <summary>
/// A subscriber app (real Dapr.AspNetCore) with its sidecar over a pub/sub named <c>pubsub</c> (in-memory, or the
/// <see cref="Broker"/>'s), plus any extra resource YAML (subscriptions, resiliency; a <c>pubsub.yaml</c> among them
/// replaces the broker's). Started once the sidecar has loaded the app's subscriptions.
/// </summary>
internal sealed class PubSubHarness : IAsyncDisposable
{
    private PubSubHarness(ResourcesFolder resources, TestApp app, TestSidecar sidecar)
    {
        Resources = resources;
        App = app;
        Sidecar = sidecar;
    }

    public ResourcesFolder Resources { get; }

    public TestApp App { get; }

    public TestSidecar Sidecar { get; }

    public static string NewName(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    public static async Task<PubSubHarness> StartAsync(
        string appId, Action<WebApplication> map, (string File, string Yaml)[]? resources = null, bool useCloudEvents = true,
        Func<SidecarOptions, SidecarOptions>? configure = null, SidecarNetwork? network = null, Broker? broker = null,
        Action<IServiceCollection>? configureServices = null)
    {
        var folder = ResourcesFolder.InMemory();
        foreach (var (file, yaml) in (broker is null ? [] : new[] { broker.Component() }).Concat(resources ?? []))
        {
            await File.WriteAllTextAsync(Path.Combine(folder.Path, file), yaml);
        }

        var app = await TestApp.StartAsync(map, useCloudEvents);
        var sidecar = await TestSidecar.StartAsync(appId, folder.Path,
            o =>
            {
                var configured = configure?.Invoke(o) ?? o;
                return (broker?.Configure(configured) ?? configured) with { AppPort = app.Port };
            }, network, configureServices: configureServices);
        await sidecar.Host.Services.GetRequiredService<ISubscriptionRegistry>().Loaded.WaitAsync(TimeSpan.FromSeconds(10));
        return new PubSubHarness(folder, app, sidecar);
    }

    public async ValueTask DisposeAsync()
    {
        await Sidecar.DisposeAsync();
        await App.DisposeAsync();
        Resources.Dispose();
    }

    /// <summary>A Resiliency resource retrying inbound delivery from <c>pubsub</c> every <paramref name="duration"/>.</summary>
    public static (string, string) InboundRetry(int maxRetries, string duration = "20ms") => ("resiliency.yaml", $"""
        apiVersion: dapr.io/v1alpha1
        kind: Resiliency
        metadata:
          name: quick
        spec:
          policies:
            retries:
              quick:
                policy: constant
                duration: {duration}
                maxRetries: {maxRetries}
          targets:
            components:
              pubsub:
                inbound:
                  retry: quick
        """);
}
