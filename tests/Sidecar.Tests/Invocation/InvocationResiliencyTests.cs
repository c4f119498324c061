using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Sidecar.Hosting;
using Sidecar.Tests.Infrastructure;

namespace Sidecar.Tests.Invocation;

/// <summary>
/// The caller's Resiliency policy for a target app applied to real invocations through two sidecars, as
/// dapr/dapr pkg/api/http/directmessaging.go applies it: every answer outside 200-399 is a failure.
/// </summary>
public sealed class InvocationResiliencyTests
{
    private static string RetryPolicy(string matching = "") => $"""
          policies:
            retries:
              quick:
                policy: constant
                duration: 10ms
                maxRetries: 2
        {matching}
          targets:
            apps:
              TARGET:
                retry: quick
        """;

    // dapr/dapr pkg/api/http/directmessaging.go onDirectMessage: a non-2xx answer is a resiliency.CodeError, retried.
    [Fact]
    public async Task ClientErrorAnswer_IsRetried_WhenTheRetryPolicyHasNoMatching()
    {
        var count = 0;
        await using var pair = await InvocationPair.StartAsync(
            app => app.MapGet("/stock", () => Interlocked.Increment(ref count) < 3 ? Results.StatusCode(429) : Results.Text("ok")),
            RetryPolicy());
        using var http = new HttpClient();

        var response = await http.GetAsync(pair.InvokeUrl("stock"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, count);
    }

    // dapr/dapr pkg/resiliency/retry.go mustRetryStatusCode: a status outside matching.httpStatusCodes is not retried,
    // and the app's answer reaches the caller verbatim.
    [Fact]
    public async Task StatusOutsideMatchingHttpStatusCodes_IsAnsweredAtOnceVerbatim()
    {
        var count = 0;
        await using var pair = await InvocationPair.StartAsync(
            app => app.MapPost("/reservations", () =>
            {
                Interlocked.Increment(ref count);
                return Results.Conflict(new { title = "short" });
            }),
            RetryPolicy("""
                    matching:
                      httpStatusCodes: 500-599,429
            """));
        using var http = new HttpClient();

        var response = await http.PostAsync(pair.InvokeUrl("reservations"), new StringContent("{}"));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("short", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
        Assert.Equal(1, count);
    }

    // dapr/dapr pkg/resiliency/retry.go: a status inside matching.httpStatusCodes is retried until the policy gives up.
    [Fact]
    public async Task StatusInsideMatchingHttpStatusCodes_IsRetried_ThenTheLastAnswerIsReturned()
    {
        var count = 0;
        await using var pair = await InvocationPair.StartAsync(
            app => app.MapGet("/busy", () => Results.StatusCode(500 + Interlocked.Increment(ref count))),
            RetryPolicy("""
                    matching:
                      httpStatusCodes: 500-599
            """));
        using var http = new HttpClient();

        var response = await http.GetAsync(pair.InvokeUrl("busy"));

        Assert.Equal(3, count);
        Assert.Equal(503, (int)response.StatusCode);
    }

    // dapr/dapr pkg/resiliency/resiliency.go EndpointPolicy (one breaker per app and method) with
    // pkg/resiliency/breaker/circuitbreaker.go: 4xx answers count, an open breaker answers ERR_DIRECT_INVOKE.
    [Fact]
    public async Task ClientErrorAnswers_TripTheBreakerOfThatMethodOnly()
    {
        var declines = 0;
        await using var pair = await InvocationPair.StartAsync(app =>
        {
            app.MapPost("/payments", () => { Interlocked.Increment(ref declines); return Results.UnprocessableEntity(); });
            app.MapGet("/payments/p-1", () => Results.Text("found"));
        }, """
              policies:
                circuitBreakers:
                  cb:
                    trip: consecutiveFailures >= 2
                    timeout: 60s
              targets:
                apps:
                  TARGET:
                    circuitBreaker: cb
            """);
        using var http = new HttpClient();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await http.PostAsync(pair.InvokeUrl("payments"), null)).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await http.PostAsync(pair.InvokeUrl("payments"), null)).StatusCode);
        var refused = await http.PostAsync(pair.InvokeUrl("payments"), null);

        Assert.Equal(HttpStatusCode.InternalServerError, refused.StatusCode);
        var error = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("ERR_DIRECT_INVOKE", error.GetProperty("errorCode").GetString());
        Assert.Contains("circuit breaker is open", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, declines);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(pair.InvokeUrl("payments/p-1"))).StatusCode);
    }

    // dapr/dapr pkg/api/http/directmessaging.go: 3xx answers (200-399) are not failures.
    [Fact]
    public async Task RedirectAnswer_IsNotAFailure()
    {
        var count = 0;
        await using var pair = await InvocationPair.StartAsync(
            app => app.MapGet("/old", () => { Interlocked.Increment(ref count); return Results.StatusCode(304); }),
            RetryPolicy());
        using var http = new HttpClient();

        var response = await http.GetAsync(pair.InvokeUrl("old"));

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Equal(1, count);
    }
}
