using System.Net;
using System.Text.Json;
using Dapr.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Sidecar.Tests.Infrastructure;
using StackExchange.Redis;

namespace Sidecar.Tests.Configuration;

/// <summary>
/// <c>configuration.redis</c> on a real <c>redis-server</c>, read and watched through a real sidecar with the Dapr SDK
/// (gRPC) and plain HTTP, as daprd serves it: items stored as <c>value||version</c>, changes seen through keyspace events.
/// </summary>
public sealed class RedisConfigurationTests
{
    [Fact]
    public async Task GetConfiguration_OverGrpcAndHttp_AnswersValueAndVersionOfTheKeysThatExist()
    {
        await using var redis = await RedisServer.StartAsync();
        using var folder = new ResourcesFolder(ConfigurationResources.Redis("config", redis.Host));
        await using var sidecar = await TestSidecar.StartAsync("cfg-get", folder.Path);
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Host);
        await connection.GetDatabase().StringSetAsync("greeting", "hello||v1");
        await connection.GetDatabase().StringSetAsync("plain", "no-version");
        using var http = new HttpClient { BaseAddress = new Uri(sidecar.HttpEndpoint) };

        var viaSdk = await sidecar.Client.GetConfiguration("config", ["greeting", "plain", "missing"]);
        var viaHttp = await http.GetStringAsync("/v1.0/configuration/config?key=greeting&key=missing");
        var viaAlpha = await http.GetStringAsync("/v1.0-alpha1/configuration/config?key=plain");

        Assert.Equal(2, viaSdk.Items.Count);
        Assert.Equal("hello", viaSdk.Items["greeting"].Value);
        Assert.Equal("v1", viaSdk.Items["greeting"].Version);
        Assert.Equal("no-version", viaSdk.Items["plain"].Value);
        Assert.Equal("", viaSdk.Items["plain"].Version);
        Assert.Equal("""{"greeting":{"value":"hello","version":"v1"}}""", viaHttp);
        Assert.Equal("""{"plain":{"value":"no-version"}}""", viaAlpha);
    }

    [Fact]
    public async Task GetConfiguration_WithoutKeys_AnswersEveryItemAndNoContentWhenNoneExists()
    {
        await using var redis = await RedisServer.StartAsync();
        using var folder = new ResourcesFolder(ConfigurationResources.Redis("config", redis.Host));
        await using var sidecar = await TestSidecar.StartAsync("cfg-all", folder.Path);
        using var http = new HttpClient { BaseAddress = new Uri(sidecar.HttpEndpoint) };

        using var empty = await http.GetAsync("/v1.0/configuration/config?key=nothing");
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Host);
        await connection.GetDatabase().StringSetAsync("a", "1||1");
        await connection.GetDatabase().StringSetAsync("b", "2||1");
        var all = await sidecar.Client.GetConfiguration("config", []);

        Assert.Equal(HttpStatusCode.NoContent, empty.StatusCode);
        Assert.Equal(["a", "b"], all.Items.Keys.Order());
    }

    [Fact]
    public async Task SubscribeConfiguration_OverGrpc_FirstMessageCarriesTheIdThenEachChange()
    {
        await using var redis = await RedisServer.StartAsync();
        using var folder = new ResourcesFolder(ConfigurationResources.Redis("config", redis.Host));
        await using var sidecar = await TestSidecar.StartAsync("cfg-sub", folder.Path);
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Host);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        var subscription = await sidecar.Client.SubscribeConfiguration("config", ["color"], cancellationToken: timeout.Token);
        await using var changes = subscription.Source.GetAsyncEnumerator(timeout.Token);
        Assert.True(await changes.MoveNextAsync());
        Assert.Empty(changes.Current);
        Assert.False(string.IsNullOrEmpty(subscription.Id));

        await connection.GetDatabase().StringSetAsync("other", "ignored||1");
        await connection.GetDatabase().StringSetAsync("color", "blue||2");
        Assert.True(await changes.MoveNextAsync());
        var change = Assert.Single(changes.Current);
        Assert.Equal("color", change.Key);
        Assert.Equal("blue", change.Value.Value);
        Assert.Equal("2", change.Value.Version);

        var unsubscribed = await sidecar.Client.UnsubscribeConfiguration("config", subscription.Id);
        var again = await sidecar.Client.UnsubscribeConfiguration("config", subscription.Id);

        Assert.True(unsubscribed.Ok);
        Assert.False(again.Ok);
        Assert.Contains("subscription does not exist", again.Message, StringComparison.Ordinal);
        Assert.False(await changes.MoveNextAsync());
    }

    [Fact]
    public async Task SubscribeConfiguration_OverHttp_PostsEachChangeToTheAppsConfigurationRoute()
    {
        await using var redis = await RedisServer.StartAsync();
        var inbox = new Inbox<(string Path, string Body)>();
        await using var app = await TestApp.StartAsync(a => a.MapPost("/configuration/{store}/{key}", async (HttpRequest request) =>
        {
            inbox.Add((request.Path.Value!, await new StreamReader(request.Body).ReadToEndAsync()));
            return Results.Ok();
        }));
        using var folder = new ResourcesFolder(ConfigurationResources.Redis("config", redis.Host));
        await using var sidecar = await TestSidecar.StartAsync("cfg-http", folder.Path, o => o with { AppPort = app.Port });
        using var http = new HttpClient { BaseAddress = new Uri(sidecar.HttpEndpoint) };
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Host);

        using var subscribed = JsonDocument.Parse(await http.GetStringAsync("/v1.0/configuration/config/subscribe?key=size"));
        var id = subscribed.RootElement.GetProperty("id").GetString()!;
        await connection.GetDatabase().StringSetAsync("size", "XL||7");
        var (path, body) = (await inbox.WaitForAsync(1, TimeSpan.FromSeconds(10)))[0];
        await connection.GetDatabase().KeyDeleteAsync("size");
        var deleted = (await inbox.WaitForAsync(2, TimeSpan.FromSeconds(10)))[1];
        var unsubscribe = await http.GetStringAsync($"/v1.0/configuration/config/{id}/unsubscribe");
        using var again = await http.GetAsync($"/v1.0/configuration/config/{id}/unsubscribe");

        Assert.Equal("/configuration/config/size", path);
        Assert.Equal("{\"id\":\"" + id + "\",\"items\":{\"size\":{\"value\":\"XL\",\"version\":\"7\"}}}", body);
        Assert.Equal("{\"id\":\"" + id + "\",\"items\":{\"size\":{}}}", deleted.Body);
        Assert.Equal("""{"ok":true}""", unsubscribe);
        Assert.Equal(HttpStatusCode.InternalServerError, again.StatusCode);
        Assert.Contains($"failed to unsubscribe to configuration request {id}", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Subscribe_SetsNotifyKeyspaceEventsOnTheServer()
    {
        await using var redis = await RedisServer.StartAsync();
        using var folder = new ResourcesFolder(ConfigurationResources.Redis("config", redis.Host));
        await using var sidecar = await TestSidecar.StartAsync("cfg-notify", folder.Path);
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Host + ",allowAdmin=true");
        var server = connection.GetServer(redis.Host);
        var before = (await server.ConfigGetAsync("notify-keyspace-events")).Single().Value;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        var subscription = await sidecar.Client.SubscribeConfiguration("config", ["k"], cancellationToken: timeout.Token);
        await using var changes = subscription.Source.GetAsyncEnumerator(timeout.Token);
        await changes.MoveNextAsync();
        var after = (await server.ConfigGetAsync("notify-keyspace-events")).Single().Value.ToString();

        Assert.Equal("", before);
        Assert.Equal("$Kegx", string.Concat(after.Order()));
    }
}
