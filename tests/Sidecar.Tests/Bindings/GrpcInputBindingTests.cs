using System.Threading.Channels;
using Dapr.AppCallback.Autogen.Grpc.v1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sidecar.Tests.Infrastructure;

namespace Sidecar.Tests.Bindings;

/// <summary>
/// Input bindings delivered to a gRPC app (<c>--app-protocol grpc</c>) as daprd does: the app's
/// <c>ListInputBindings</c> decides, <c>OnBindingEvent</c> carries each event, and an answer's <c>to</c> sends its data
/// on to output bindings.
/// </summary>
public sealed class GrpcInputBindingTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private readonly string _root = Directory.CreateTempSubdirectory("localstorage-").FullName;

    [Fact]
    public async Task Cron_ReachesOnBindingEvent_OnlyForTheBindingsTheAppLists()
    {
        var app = new BindingApp(["ticker"]);
        await using var server = await GrpcAppServer.StartAsync(app);
        using var folder = new ResourcesFolder(
            BindingResources.Binding("ticker", "bindings.cron", ("schedule", "@every 1s")),
            BindingResources.Binding("unlisted", "bindings.cron", ("schedule", "@every 1s")));
        await using var sidecar = await TestSidecar.StartAsync("app", folder.Path, o => o with { AppPort = server.Port, AppProtocol = "grpc" });

        var first = await app.NextAsync(Wait);
        var second = await app.NextAsync(Wait);

        Assert.Equal(("ticker", "ticker"), (first.Name, second.Name));
        Assert.True(first.Data.IsEmpty);
        Assert.Equal("Local", first.Metadata["timeZone"]);
        Assert.EndsWith(" +0000 UTC", first.Metadata["readTimeUTC"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAnswersTo_SendsItsDataOnToThoseOutputBindings()
    {
        var app = new BindingApp(["ticker"]) { Answer = new BindingEventResponse { To = { "files" }, Data = ByteString.CopyFromUtf8("\"forwarded\"") } };
        await using var server = await GrpcAppServer.StartAsync(app);
        using var folder = new ResourcesFolder(
            BindingResources.Binding("ticker", "bindings.cron", ("schedule", "@every 1s")),
            BindingResources.Binding("files", "bindings.localstorage", ("rootPath", _root)));
        await using var sidecar = await TestSidecar.StartAsync("app", folder.Path, o => o with { AppPort = server.Port, AppProtocol = "grpc" });

        await app.NextAsync(Wait);
        var deadline = DateTime.UtcNow + Wait;
        while (Directory.GetFiles(_root).Length == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        var file = Assert.Single(Directory.GetFiles(_root).Take(1));
        Assert.Equal("forwarded", await File.ReadAllTextAsync(file));
    }

    // dapr/dapr pkg/runtime/processor/binding/send.go sendBindingEventToApp: OnBindingEvent's error reaches the binding's
    // inbound policy as it is, not as a resiliency.CodeError, so matching.gRPCStatusCodes never stops its retries
    // (unlike pub/sub deliveries): each tick is tried once and retried three times.
    [Fact]
    public async Task FailingOnBindingEvent_IsRetriedWhateverGrpcStatusCodesLists()
    {
        var app = new BindingApp(["ticker"]) { FailWith = StatusCode.NotFound };
        await using var server = await GrpcAppServer.StartAsync(app);
        using var folder = new ResourcesFolder(
            BindingResources.Binding("ticker", "bindings.cron", ("schedule", "@every 1s")),
            ("resiliency.yaml", """
                apiVersion: dapr.io/v1alpha1
                kind: Resiliency
                metadata:
                  name: binding-retries
                spec:
                  policies:
                    retries:
                      quick:
                        policy: constant
                        duration: 10ms
                        maxRetries: 3
                        matching:
                          gRPCStatusCodes: "14"
                  targets:
                    components:
                      ticker:
                        inbound:
                          retry: quick
                """));
        await using var sidecar = await TestSidecar.StartAsync("app", folder.Path, o => o with { AppPort = server.Port, AppProtocol = "grpc" });

        // Each tick carries its own readTimeUTC, and its retries the same: the first tick's attempts are the events with
        // its time. Once a third tick has arrived (two seconds on), the first tick's retries are long over.
        var ticks = new List<string>();
        var attemptsPerTick = new Dictionary<string, int>();
        while (ticks.Count < 3)
        {
            var tick = (await app.NextAsync(Wait)).Metadata["readTimeUTC"];
            if (attemptsPerTick.TryAdd(tick, 0))
            {
                ticks.Add(tick);
            }

            attemptsPerTick[tick]++;
        }

        Assert.Equal(4, attemptsPerTick[ticks[0]]);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>The app's AppCallback: lists <paramref name="listed"/> and records every binding event.</summary>
    private sealed class BindingApp(string[] listed) : Dapr.AppCallback.Autogen.Grpc.v1.AppCallback.AppCallbackBase
    {
        private readonly Channel<BindingEventRequest> _events = Channel.CreateUnbounded<BindingEventRequest>();

        public BindingEventResponse Answer { get; init; } = new();

        /// <summary>When set, every event is recorded and then failed with this code.</summary>
        public StatusCode? FailWith { get; init; }

        public override Task<ListInputBindingsResponse> ListInputBindings(Empty request, ServerCallContext context) =>
            Task.FromResult(new ListInputBindingsResponse { Bindings = { listed } });

        public override async Task<BindingEventResponse> OnBindingEvent(BindingEventRequest request, ServerCallContext context)
        {
            await _events.Writer.WriteAsync(request);
            return FailWith is { } code ? throw new RpcException(new Status(code, "the test app fails this event")) : Answer;
        }

        /// <summary>True when an event comes within <paramref name="wait"/>.</summary>
        public async Task<bool> TryNextAsync(TimeSpan wait)
        {
            try
            {
                await NextAsync(wait);
                return true;
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        public async Task<BindingEventRequest> NextAsync(TimeSpan wait)
        {
            using var timeout = new CancellationTokenSource(wait);
            return await _events.Reader.ReadAsync(timeout.Token);
        }
    }

    /// <summary>A gRPC app (HTTP/2 clear text) on a free loopback port serving one <see cref="BindingApp"/>.</summary>
    private sealed class GrpcAppServer(WebApplication app, int port) : IAsyncDisposable
    {
        public int Port { get; } = port;

        public static async Task<GrpcAppServer> StartAsync(BindingApp service)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
            builder.Services.AddGrpc();
            builder.Services.AddSingleton(service);
            var app = builder.Build();
            app.MapGrpcService<BindingApp>();
            await app.StartAsync();
            return new GrpcAppServer(app, new Uri(app.Urls.Single()).Port);
        }

        public async ValueTask DisposeAsync() => await app.DisposeAsync();
    }
}
