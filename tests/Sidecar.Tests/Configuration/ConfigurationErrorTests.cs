using System.Net;
using System.Text.Json;
using Grpc.Core;
using Sidecar.Tests.Infrastructure;

namespace Sidecar.Tests.Configuration;

/// <summary>daprd's answers for a configuration store that is not there, over HTTP and gRPC.</summary>
public sealed class ConfigurationErrorTests
{
    [Fact]
    public async Task UnknownStore_OverHttp_Answers400AndOverGrpcInvalidArgument()
    {
        await using var redis = await RedisServer.StartAsync();
        using var folder = new ResourcesFolder(ConfigurationResources.Redis("config", redis.Host));
        await using var sidecar = await TestSidecar.StartAsync("cfg-err", folder.Path);
        using var http = new HttpClient { BaseAddress = new Uri(sidecar.HttpEndpoint) };

        using var response = await http.GetAsync("/v1.0/configuration/nope?key=a");
        var grpc = await Assert.ThrowsAsync<Dapr.DaprException>(() => sidecar.Client.GetConfiguration("nope", ["a"]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("ERR_CONFIGURATION_STORE_NOT_FOUND", body.RootElement.GetProperty("errorCode").GetString());
        Assert.Equal("configuration store nope not found", body.RootElement.GetProperty("message").GetString());
        Assert.Equal(StatusCode.InvalidArgument, Assert.IsType<RpcException>(grpc.InnerException).StatusCode);
    }

    [Fact]
    public async Task NoStores_OverHttp_Answers500NotConfigured()
    {
        using var folder = ResourcesFolder.InMemory();
        await using var sidecar = await TestSidecar.StartAsync("cfg-none", folder.Path);
        using var http = new HttpClient { BaseAddress = new Uri(sidecar.HttpEndpoint) };

        using var response = await http.GetAsync("/v1.0/configuration/config?key=a");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("ERR_CONFIGURATION_STORE_NOT_CONFIGURED", body.RootElement.GetProperty("errorCode").GetString());
    }

    [Fact]
    public async Task SubscribeOverHttp_WithoutAnAppPort_Answers500AppChannelNil()
    {
        await using var redis = await RedisServer.StartAsync();
        using var folder = new ResourcesFolder(ConfigurationResources.Redis("config", redis.Host));
        await using var sidecar = await TestSidecar.StartAsync("cfg-noapp", folder.Path);
        using var http = new HttpClient { BaseAddress = new Uri(sidecar.HttpEndpoint) };

        using var response = await http.GetAsync("/v1.0/configuration/config/subscribe?key=a");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("ERR_APP_CHANNEL_NIL", body.RootElement.GetProperty("errorCode").GetString());
    }
}
