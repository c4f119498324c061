using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Sidecar.Components;
using Sidecar.Components.Configuration;
using Sidecar.Tests.Infrastructure;

namespace Sidecar.Tests.Configuration;

/// <summary>
/// HTTP configuration subscriptions deliver under the store's inbound policy, as dapr/dapr
/// <c>pkg/api/http/http.go</c> configurationEventHandler.updateEventHandler runs each key's POST through
/// <c>ComponentInboundPolicy(store, resiliency.Configuration)</c>: an answer other than 200 is a plain error, retried
/// whatever <c>matching</c> lists; without a policy it is sent once.
/// </summary>
public sealed class ConfigurationDeliveryResiliencyTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static (string, string) Inbound() => ("resiliency.yaml", """
        apiVersion: dapr.io/v1alpha1
        kind: Resiliency
        metadata:
          name: config-delivery
        spec:
          policies:
            retries:
              quick:
                policy: constant
                duration: 10ms
                maxRetries: 3
                matching:
                  httpStatusCodes: "503"
          targets:
            components:
              config:
                inbound:
                  retry: quick
        """);

    [Fact]
    public async Task FailingAnswer_IsRetriedByTheStoresInboundPolicy_WhateverItsMatching()
    {
        var (posts, app, sidecar, folder, table) = await StartAsync(answers: [500, 500, 200], Inbound());
        await using var _ = app;
        await using var __ = sidecar;
        using var ___ = folder;

        await SubscribeAndChangeAsync(sidecar, table);
        await posts.WaitForAsync(3, Wait);

        await posts.AssertStaysAtAsync(3, TimeSpan.FromMilliseconds(500));
        Assert.All(posts.Items, p => Assert.Equal("/configuration/config/mode", p));
    }

    [Fact]
    public async Task FailingAnswer_WithoutAPolicy_IsSentOnce()
    {
        var (posts, app, sidecar, folder, table) = await StartAsync(answers: [500, 200]);
        await using var _ = app;
        await using var __ = sidecar;
        using var ___ = folder;

        await SubscribeAndChangeAsync(sidecar, table);
        await posts.WaitForAsync(1, Wait);

        await posts.AssertStaysAtAsync(1, TimeSpan.FromMilliseconds(500));
    }

    // The handler sends through the app channel (appChannel.InvokeMethod), which for a gRPC app is OnInvoke.
    [Fact]
    public async Task GrpcApp_GetsTheChangeAsOnInvoke_OfTheConfigurationMethod()
    {
        await using var app = await GrpcApp.GrpcTestApp.StartAsync();
        using var folder = new ResourcesFolder(ConfigurationResources.Redis("config", "unreachable.invalid:6379"));
        Directory.CreateDirectory(Path.Combine(folder.Path, ".dapr"));
        var table = new SqliteConfigurationTable(EmbeddedComponents.StateDatabaseFile(Path.Combine(folder.Path, ".dapr")));
        await using var sidecar = await TestSidecar.StartAsync($"cfg-grpc-{Guid.NewGuid():N}", folder.Path,
            o => o with { AppPort = app.Port, AppProtocol = "grpc", Embedded = true });

        await SubscribeAndChangeAsync(sidecar, table);
        var deadline = DateTime.UtcNow + Wait;
        while (app.State.Invocations.IsEmpty && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        var (invoke, _) = Assert.Single(app.State.Invocations);
        Assert.Equal("configuration/config/mode", invoke.Method);
        Assert.Equal(Dapr.Client.Autogen.Grpc.v1.HTTPExtension.Types.Verb.Post, invoke.HttpExtension.Verb);
        Assert.Equal("application/json", invoke.ContentType);
        Assert.Contains("\"safe\"", invoke.Data.Value.ToStringUtf8(), StringComparison.Ordinal);
    }

    private static async Task<(Inbox<string>, TestApp, TestSidecar, ResourcesFolder, SqliteConfigurationTable)> StartAsync(
        int[] answers, params (string, string)[] resources)
    {
        var posts = new Inbox<string>();
        var count = 0;
        var app = await TestApp.StartAsync(a => a.MapPost("/configuration/{store}/{key}", (HttpRequest request) =>
        {
            posts.Add(request.Path.Value!);
            var n = Interlocked.Increment(ref count);
            return Results.StatusCode(answers[Math.Min(n, answers.Length) - 1]);
        }));
        var folder = new ResourcesFolder([ConfigurationResources.Redis("config", "unreachable.invalid:6379"), .. resources]);
        var dataDirectory = Path.Combine(folder.Path, ".dapr");
        Directory.CreateDirectory(dataDirectory);
        var table = new SqliteConfigurationTable(EmbeddedComponents.StateDatabaseFile(dataDirectory));
        var sidecar = await TestSidecar.StartAsync($"cfg-retry-{Guid.NewGuid():N}", folder.Path,
            o => o with { AppPort = app.Port, Embedded = true });
        return (posts, app, sidecar, folder, table);
    }

    private static async Task SubscribeAndChangeAsync(TestSidecar sidecar, SqliteConfigurationTable table)
    {
        using var http = new HttpClient { BaseAddress = new Uri(sidecar.HttpEndpoint) };
        using var subscribed = await http.GetAsync("/v1.0/configuration/config/subscribe?key=mode");
        Assert.Equal(HttpStatusCode.OK, subscribed.StatusCode);
        await table.SetAsync("config", "mode", "safe", "2", CancellationToken.None);
    }
}
