using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapr.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Sidecar.Hosting;
using Sidecar.Tests.Infrastructure;

namespace Sidecar.Tests.Invocation;

/// <summary>
/// Service invocation between two sidecars: the caller's DaprClient (HTTP) or gRPC InvokeService reaches the target app
/// through the target's sidecar. Every rule holds both ways a target is found: in the caller's own process (one
/// network) and through the name registry over HTTP (<c>remote</c>: each sidecar on a network of its own, sharing only
/// the registry file, as sidecars of two processes do).
/// </summary>
public sealed class InvocationTests
{
    private sealed record Item(string Id, int Stock);

    /// <summary>A caller sidecar (no app) and a target sidecar in front of <paramref name="map"/>'s app.</summary>
    private sealed class Pair : IAsyncDisposable
    {
        public required ResourcesFolder Resources { get; init; }
        public required SidecarNetwork? Network { get; init; }
        public required TestApp TargetApp { get; init; }
        public required TestSidecar Target { get; init; }
        public required TestSidecar Caller { get; init; }

        public string TargetId => Target.Options.AppId;

        public static async Task<Pair> StartAsync(
            bool remote, Action<WebApplication> map, Func<SidecarOptions, SidecarOptions>? target = null, params (string, string)[] callerResources)
        {
            var resources = new ResourcesFolder(callerResources);
            var network = remote ? null : new SidecarNetwork();
            var registry = remote ? Path.Combine(resources.Path, "nr.db") : null;
            var app = await TestApp.StartAsync(map);
            var targetSidecar = await TestSidecar.StartAsync($"target-{Guid.NewGuid():N}", resources.Path,
                o => (target?.Invoke(o) ?? o) with { AppPort = app.Port, NameRegistryFile = registry }, network);
            var caller = await TestSidecar.StartAsync($"caller-{Guid.NewGuid():N}", resources.Path,
                o => o with { NameRegistryFile = registry }, network: network);
            return new Pair { Resources = resources, Network = network, TargetApp = app, Target = targetSidecar, Caller = caller };
        }

        public async ValueTask DisposeAsync()
        {
            await Caller.DisposeAsync();
            await Target.DisposeAsync();
            await TargetApp.DisposeAsync();
            if (Network is not null)
            {
                await Network.DisposeAsync();
            }

            Resources.Dispose();
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task InvokableHttpClient_ReachesTheTargetWithCallerHeadersAndTheQuery(bool remote)
    {
        var seen = new Inbox<Dictionary<string, string>>();
        await using var pair = await Pair.StartAsync(remote, app => app.MapPost("/items/{id}", (string id, int stock, Item body, HttpRequest request) =>
        {
            seen.Add(request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase));
            return Results.Ok(new Item(id, stock + body.Stock));
        }));
        using var http = DaprClient.CreateInvokeHttpClient(pair.TargetId, pair.Caller.HttpEndpoint);

        var item = await (await http.PostAsJsonAsync("/items/keyboard?stock=2", new Item("keyboard", 3))).Content.ReadFromJsonAsync<Item>();

        Assert.Equal(new Item("keyboard", 5), item);
        var headers = (await seen.WaitForAsync()).Single();
        Assert.Equal(pair.Caller.Options.AppId, headers["dapr-caller-app-id"]);
        Assert.Equal(pair.TargetId, headers["dapr-callee-app-id"]);
        Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$", headers["traceparent"]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DaprClientInvokeMethod_ReturnsTheTargetsAnswer(bool remote)
    {
        await using var pair = await Pair.StartAsync(remote, app => app.MapGet("/items/{id}", (string id) => new Item(id, 7)));

        var request = pair.Caller.Client.CreateInvokeMethodRequest(HttpMethod.Get, pair.TargetId, "items/mouse");
#pragma warning disable CS0618 // Obsolete in 1.18 but still shipped: apps that call it must keep working.
        var item = await pair.Caller.Client.InvokeMethodAsync<Item>(request);
#pragma warning restore CS0618

        Assert.Equal(new Item("mouse", 7), item);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ErrorStatus_HeadersAndBody_ComeBackVerbatim(bool remote)
    {
        await using var pair = await Pair.StartAsync(remote, app => app.MapPut("/items/{id}", (string id, HttpResponse response) =>
        {
            response.Headers["x-reason"] = "stock";
            return Results.Problem(statusCode: 409, title: "Insufficient stock", detail: $"only 1 {id} left");
        }));
        using var http = new HttpClient();

        var response = await http.PutAsync($"{pair.Caller.HttpEndpoint}/v1.0/invoke/{pair.TargetId}/method/items/pen", new StringContent("{}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("stock", response.Headers.GetValues("x-reason").Single());
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("only 1 pen left", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DaprAppIdHeader_RoutesAnyPathToThatApp(bool remote)
    {
        await using var pair = await Pair.StartAsync(remote, app => app.MapDelete("/orders/{id}/lines", (string id) => Results.Text($"deleted {id}")));
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Delete, $"{pair.Caller.HttpEndpoint}/orders/o-9/lines");
        request.Headers.Add("dapr-app-id", pair.TargetId);

        var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("deleted o-9", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task UnknownApp_Answers500DirectInvoke(bool remote)
    {
        await using var pair = await Pair.StartAsync(remote, _ => { });
        using var http = new HttpClient();

        var response = await http.GetAsync($"{pair.Caller.HttpEndpoint}/v1.0/invoke/nobody/method/anything");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("ERR_DIRECT_INVOKE", body.GetProperty("errorCode").GetString());
        Assert.StartsWith("failed to invoke, id: nobody, err: ", body.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task UnreachableApp_Answers500DirectInvoke(bool remote)
    {
        var pair = await Pair.StartAsync(remote, _ => { });
        await using var _ = pair;
        await pair.TargetApp.DisposeAsync();
        using var http = new HttpClient();

        var response = await http.GetAsync($"{pair.Caller.HttpEndpoint}/v1.0/invoke/{pair.TargetId}/method/anything");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("ERR_DIRECT_INVOKE", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errorCode").GetString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AppApiToken_OfTheTarget_ReachesTheTargetAppAndTheCallersTokenDoesNot(bool remote)
    {
        var tokens = new Inbox<string>();
        await using var pair = await Pair.StartAsync(
            remote,
            app => app.MapGet("/secret", (HttpRequest request) => { tokens.Add(request.Headers["dapr-api-token"].ToString()); return Results.Ok(); }),
            o => o with { AppApiToken = "app-token-1" });
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{pair.Caller.HttpEndpoint}/v1.0/invoke/{pair.TargetId}/method/secret");
        request.Headers.Add("dapr-api-token", "caller-token");

        var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("app-token-1", (await tokens.WaitForAsync()).Single());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task UnhealthyTarget_IsRefused(bool remote)
    {
        await using var pair = await Pair.StartAsync(
            remote,
            app => app.MapGet("/healthz", () => Results.StatusCode(503)),
            o => o with { AppHealth = new AppHealthOptions { Enabled = true, Interval = TimeSpan.FromMilliseconds(50) } });
        using var http = new HttpClient();

        var response = await http.GetAsync($"{pair.Caller.HttpEndpoint}/v1.0/invoke/{pair.TargetId}/method/healthz");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("app is not in a healthy state", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TargetRetryPolicy_RetriesServerErrorsWithTheBodyReplayed(bool remote)
    {
        var attempts = new Inbox<string>();
        var resiliency = ("resiliency.yaml", """
            apiVersion: dapr.io/v1alpha1
            kind: Resiliency
            metadata:
              name: invoke
            spec:
              policies:
                retries:
                  quick:
                    policy: constant
                    duration: 10ms
                    maxRetries: 3
              targets:
                apps:
                  TARGET:
                    retry: quick
            """);
        var count = 0;
        var targetId = $"target-{Guid.NewGuid():N}";
        resiliency.Item2 = resiliency.Item2.Replace("TARGET", targetId, StringComparison.Ordinal);
        await using var pair = await Pair.StartAsync(remote, app => app.MapPost("/flaky", async (HttpRequest request) =>
        {
            attempts.Add(await new StreamReader(request.Body).ReadToEndAsync());
            return Interlocked.Increment(ref count) < 3 ? Results.StatusCode(503) : Results.Text("ok");
        }), o => o with { AppId = targetId }, resiliency);
        using var http = new HttpClient();

        var response = await http.PostAsync($"{pair.Caller.HttpEndpoint}/v1.0/invoke/{targetId}/method/flaky", new StringContent("payload"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["payload", "payload", "payload"], await attempts.WaitForAsync(3));
    }
}
