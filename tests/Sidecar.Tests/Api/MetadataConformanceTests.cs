using System.Text.Json;
using Dapr.DurableTask.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Sidecar.Hosting;
using Sidecar.Tests.Infrastructure;
using Proto = Dapr.Client.Autogen.Grpc.v1;

namespace Sidecar.Tests.Api;

/// <summary>
/// The metadata fields apps read, over HTTP in daprd's JSON shape (dapr/dapr <c>pkg/api/http/metadata.go</c>
/// metadataResponse, whose omitempty fields are left out when empty) and over gRPC (<c>pkg/api/universal/metadata.go</c>
/// GetMetadata): actorRuntime, workflows.connectedWorkers, appConnectionProperties with health and maxConcurrency,
/// httpEndpoints.
/// </summary>
public sealed class MetadataConformanceTests
{
    private const string HttpEndpointYaml = """
        apiVersion: dapr.io/v1alpha1
        kind: HTTPEndpoint
        metadata:
          name: github
        spec:
          baseUrl: https://api.github.com
        """;

    private static Func<SidecarOptions, SidecarOptions> AppWithHealthAndLimit => o => o with
    {
        AppPort = FreePort.Next(),
        AppMaxConcurrency = 3,
        AppHealth = new AppHealthOptions { Enabled = true, Path = "/health", Interval = TimeSpan.FromSeconds(5), Timeout = TimeSpan.FromMilliseconds(500), Threshold = 3 },
    };

    [Fact]
    public async Task GetMetadata_Http_ReportsAppConnectionHealthMaxConcurrencyAndDisabledActors()
    {
        using var resources = ResourcesFolder.InMemory();
        await using var sidecar = await TestSidecar.StartAsync("meta-conform", resources.Path, AppWithHealthAndLimit);
        using var http = new HttpClient { BaseAddress = new Uri(sidecar.HttpEndpoint) };

        using var body = JsonDocument.Parse(await http.GetStringAsync("/v1.0/metadata"));
        var root = body.RootElement;

        var app = root.GetProperty("appConnectionProperties");
        Assert.Equal(sidecar.Options.AppPort, app.GetProperty("port").GetInt32());
        Assert.Equal(("http", "127.0.0.1", 3), (app.GetProperty("protocol").GetString(), app.GetProperty("channelAddress").GetString(), app.GetProperty("maxConcurrency").GetInt32()));
        var health = app.GetProperty("health");
        Assert.Equal(("/health", "5s", "500ms", 3), (health.GetProperty("healthCheckPath").GetString(), health.GetProperty("healthProbeInterval").GetString(),
            health.GetProperty("healthProbeTimeout").GetString(), health.GetProperty("healthThreshold").GetInt32()));
        var actors = root.GetProperty("actorRuntime");
        Assert.Equal(("DISABLED", false, "placement: disconnected"),
            (actors.GetProperty("runtimeStatus").GetString(), actors.GetProperty("hostReady").GetBoolean(), actors.GetProperty("placement").GetString()));
    }

    [Fact]
    public async Task GetMetadata_Http_LeavesOutWhatDaprdOmitsWhenEmpty()
    {
        using var resources = ResourcesFolder.InMemory();
        await using var sidecar = await TestSidecar.StartAsync("meta-empty", resources.Path);
        using var http = new HttpClient { BaseAddress = new Uri(sidecar.HttpEndpoint) };

        using var body = JsonDocument.Parse(await http.GetStringAsync("/v1.0/metadata"));
        var root = body.RootElement;

        Assert.False(root.TryGetProperty("enabledFeatures", out _));
        Assert.False(root.TryGetProperty("subscriptions", out _));
        Assert.False(root.TryGetProperty("httpEndpoints", out _));
        Assert.False(root.TryGetProperty("workflows", out _));
        // No app: daprd still reports the connection, without a port, maxConcurrency or health.
        var app = root.GetProperty("appConnectionProperties");
        Assert.False(app.TryGetProperty("port", out _));
        Assert.False(app.TryGetProperty("maxConcurrency", out _));
        Assert.False(app.TryGetProperty("health", out _));
        Assert.Equal("http", app.GetProperty("protocol").GetString());
    }

    [Fact]
    public async Task GetMetadata_HttpAndGrpc_ListHttpEndpointResourcesByName()
    {
        using var resources = ResourcesFolder.InMemory();
        await File.WriteAllTextAsync(Path.Combine(resources.Path, "github.yaml"), HttpEndpointYaml);
        await using var sidecar = await TestSidecar.StartAsync("meta-endpoints", resources.Path);
        using var http = new HttpClient { BaseAddress = new Uri(sidecar.HttpEndpoint) };
        using var channel = GrpcChannel.ForAddress(sidecar.GrpcEndpoint);

        using var body = JsonDocument.Parse(await http.GetStringAsync("/v1.0/metadata"));
        var grpc = await new Proto.Dapr.DaprClient(channel).GetMetadataAsync(new Proto.GetMetadataRequest());

        Assert.Equal(["github"], body.RootElement.GetProperty("httpEndpoints").EnumerateArray().Select(e => e.GetProperty("name").GetString()));
        Assert.Equal(["github"], grpc.HttpEndpoints.Select(e => e.Name));
    }

    [Fact]
    public async Task GetMetadata_Grpc_ReportsAppConnectionActorRuntimeAndNoFeatures()
    {
        using var resources = ResourcesFolder.InMemory();
        await using var sidecar = await TestSidecar.StartAsync("meta-grpc", resources.Path, AppWithHealthAndLimit);
        using var channel = GrpcChannel.ForAddress(sidecar.GrpcEndpoint);

        var metadata = await new Proto.Dapr.DaprClient(channel).GetMetadataAsync(new Proto.GetMetadataRequest());

        Assert.Empty(metadata.EnabledFeatures);
        Assert.Equal((sidecar.Options.AppPort!.Value, 3), (metadata.AppConnectionProperties.Port, metadata.AppConnectionProperties.MaxConcurrency));
        Assert.Equal(("/health", "5s", "500ms", 3), (metadata.AppConnectionProperties.Health.HealthCheckPath, metadata.AppConnectionProperties.Health.HealthProbeInterval,
            metadata.AppConnectionProperties.Health.HealthProbeTimeout, metadata.AppConnectionProperties.Health.HealthThreshold));
        Assert.Equal((Proto.ActorRuntime.Types.ActorRuntimeStatus.Disabled, false), (metadata.ActorRuntime.RuntimeStatus, metadata.ActorRuntime.HostReady));
    }

    [Fact]
    public async Task GetMetadata_WorkflowWorkerConnected_CountsItInConnectedWorkers()
    {
        using var resources = ResourcesFolder.InMemory();
        await using var sidecar = await TestSidecar.StartAsync("meta-workers", resources.Path);
        using var http = new HttpClient { BaseAddress = new Uri(sidecar.HttpEndpoint) };
        using var channel = GrpcChannel.ForAddress(sidecar.GrpcEndpoint);
        using var stop = new CancellationTokenSource();

        using (var stream = new TaskHubSidecarService.TaskHubSidecarServiceClient(channel).GetWorkItems(new GetWorkItemsRequest(), cancellationToken: stop.Token))
        {
            var connected = await PollAsync(async () => await ConnectedWorkersAsync(http) == 1);
            var grpc = await new Proto.Dapr.DaprClient(channel).GetMetadataAsync(new Proto.GetMetadataRequest());

            Assert.True(connected);
            Assert.Equal(1, grpc.Workflows.ConnectedWorkers);
            await stop.CancelAsync();
        }

        Assert.True(await PollAsync(async () => await ConnectedWorkersAsync(http) == 0));
    }

    private static async Task<int> ConnectedWorkersAsync(HttpClient http)
    {
        using var body = JsonDocument.Parse(await http.GetStringAsync("/v1.0/metadata"));
        return body.RootElement.TryGetProperty("workflows", out var workflows) && workflows.TryGetProperty("connectedWorkers", out var count)
            ? count.GetInt32()
            : 0;
    }

    private static async Task<bool> PollAsync(Func<Task<bool>> condition)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }
}
