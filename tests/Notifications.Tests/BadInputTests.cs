using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Notifications.Tests;

/// <summary>Every malformed request to the notifications API answers 4xx problem details naming what is wrong, never 5xx.</summary>
public sealed class BadInputTests(NotificationsApiFactory factory) : IClassFixture<NotificationsApiFactory>
{
    /// <summary>method, path, body (null: none), status, field named in <c>errors</c> (null: none).</summary>
    public static TheoryData<string, string, string?, int, string?> Cases => new()
    {
        { "GET", "/notifications?orderId=o%0A", null, 400, "orderId" },
        { "GET", "/notifications?orderId=bad%7C%7Cid", null, 400, "orderId" },
        { "GET", "/notifications?orderId=%20", null, 400, "orderId" },
        { "GET", $"/notifications?orderId={new string('o', 65)}", null, 400, "orderId" },
        { "GET", "/notifications?limit=abc", null, 400, "limit" },
        { "GET", "/notifications?limit=1.5", null, 400, "limit" },
        { "GET", "/notifications?limit=0", null, 400, "limit" },
        { "GET", "/notifications?limit=201", null, 400, "limit" },
        { "GET", "/notifications?limit=99999999999", null, 400, "limit" },
        { "POST", "/events/items", new string('x', 70_000), 413, null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task MalformedRequest_Answers4xxProblemNamingTheField(string method, string path, string? body, int status, string? field)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/cloudevents+json");
        }

        var response = await factory.CreateClient().SendAsync(request);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (field is not null)
        {
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        }
    }

    [Fact]
    public async Task Recording_WhenTheIndexStaysContended_Answers503ProblemSoDaprRedelivers()
    {
        factory.Dapr.InjectETagConflicts(10_000, key: "notifications:by-order:order-contended");
        try
        {
            var response = await factory.CreateClient().PostAsync("/events/orders/completed", CloudEvents.Create(
                Guid.NewGuid().ToString(), "order.completed", "orders", new { orderId = "order-contended", customerId = "c-1", total = 1m }));

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        finally
        {
            factory.Dapr.InjectETagConflicts(0);
        }
    }
}
