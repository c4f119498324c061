using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapr;
using Sidecar.Tests.Infrastructure;

namespace Sidecar.Tests.PubSub.Publishing;

/// <summary>Publishing to a pub/sub the app does not have, whatever the broker.</summary>
public sealed class PublishErrorTests
{
    private sealed record Order(string OrderId, decimal Total);

    [Fact]
    public async Task PublishEvent_ToUnknownPubSub_FailsWithInvalidArgumentOverGrpcAnd404OverHttp()
    {
        await using var harness = await PubSubHarness.StartAsync(PubSubHarness.NewName("pub"), _ => { });
        using var http = new HttpClient();

        var grpcError = await Assert.ThrowsAsync<DaprException>(() => harness.Sidecar.Client.PublishEventAsync("nope", "t", new Order("o", 1m)));
        var httpResponse = await http.PostAsync($"{harness.Sidecar.HttpEndpoint}/v1.0/publish/nope/t", JsonContent.Create(new { }));

        Assert.Equal(Grpc.Core.StatusCode.InvalidArgument, Assert.IsType<Grpc.Core.RpcException>(grpcError.InnerException).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, httpResponse.StatusCode);
        var body = await httpResponse.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("ERR_PUBSUB_NOT_FOUND", body.GetProperty("errorCode").GetString());
        Assert.Equal("pubsub nope not found", body.GetProperty("message").GetString());
    }

    [Fact]
    public async Task PublishEvent_ToPubSubScopedToAnotherApp_IsNotFound()
    {
        using var folder = new ResourcesFolder(("pubsub.yaml", """
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: pubsub
            spec:
              type: pubsub.in-memory
              version: v1
            scopes:
              - someone-else
            """));
        await using var sidecar = await TestSidecar.StartAsync(PubSubHarness.NewName("pub"), folder.Path);

        var error = await Assert.ThrowsAsync<DaprException>(() => sidecar.Client.PublishEventAsync("pubsub", "t", new Order("o", 1m)));

        Assert.Contains("pubsub pubsub not found", error.InnerException!.Message, StringComparison.Ordinal);
    }
}
