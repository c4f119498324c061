using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Contracts;

namespace Catalog.Tests.Apis;

/// <summary>
/// Every malformed request answers 4xx problem details naming what is wrong, never 5xx, and changes nothing: the
/// seeded item keeps its fields and stock, holds no reservation, stays listed alone, and no event is published.
/// </summary>
public class BadInputTests
{
    private const string Json = "application/json";
    private const string Valid = """{"name":"Widget","price":9.99,"stock":10}""";

    /// <summary>method, path, content type (null: no content), body, status, field named in <c>errors</c> (null: none).</summary>
    public static TheoryData<string, string, string?, string?, int, string?> Cases => new()
    {
        // ids: the one rule of services/contracts/ResourceId, \z-anchored
        { "PUT", "/items/a%0A", Json, Valid, 400, "id" },
        { "PUT", "/items/a%0D", Json, Valid, 400, "id" },
        { "PUT", "/items/a%09b", Json, Valid, 400, "id" },
        { "PUT", "/items/a%7F", Json, Valid, 400, "id" },
        { "PUT", "/items/a%20b", Json, Valid, 400, "id" },
        { "PUT", "/items/-a", Json, Valid, 400, "id" },
        { "PUT", $"/items/{new string('a', 65)}", Json, Valid, 400, "id" },
        { "GET", "/items/a%0A", null, null, 400, "id" },
        { "DELETE", "/items/a%0A", null, null, 400, "id" },
        { "POST", "/items/a%0A/reservations", Json, """{"orderId":"o-1","quantity":1}""", 400, "id" },
        { "DELETE", "/items/widget-1/reservations/o%0A", null, null, 400, "orderId" },
        // bodies that are missing, empty or not an object
        { "PUT", "/items/widget-1", Json, "", 400, "body" },
        { "PUT", "/items/widget-1", Json, "null", 400, "body" },
        { "PUT", "/items/widget-1", Json, "[]", 400, "body" },
        { "PUT", "/items/widget-1", Json, "{", 400, "body" },
        { "PUT", "/items/widget-1", Json, "not json", 400, "body" },
        { "PUT", "/items/widget-1", "text/plain", Valid, 415, null },
        { "POST", "/items/widget-1/reservations", Json, "", 400, "body" },
        { "POST", "/items/widget-1/reservations", Json, "null", 400, "body" },
        { "POST", "/items/widget-1/reservations", null, null, 400, "body" },
        // wrong types and values out of range
        { "PUT", "/items/widget-1", Json, """{"name":"W","price":"x","stock":1}""", 400, "price" },
        { "PUT", "/items/widget-1", Json, """{"name":"W","price":79228162514264337593543950335,"stock":1}""", 400, "price" },
        { "PUT", "/items/widget-1", Json, """{"name":"W","price":1e400,"stock":1}""", 400, "price" },
        { "PUT", "/items/widget-1", Json, """{"name":"W","price":1000000.01,"stock":1}""", 400, "price" },
        { "PUT", "/items/widget-1", Json, """{"name":"W","price":1.001,"stock":1}""", 400, "price" },
        { "PUT", "/items/widget-1", Json, """{"name":"W","price":-1,"stock":1}""", 400, "price" },
        { "PUT", "/items/widget-1", Json, """{"name":"W","stock":1}""", 400, "price" },
        { "PUT", "/items/widget-1", Json, """{"name":"W","price":1,"stock":"ten"}""", 400, "stock" },
        { "PUT", "/items/widget-1", Json, """{"name":"W","price":1,"stock":1.5}""", 400, "stock" },
        { "PUT", "/items/widget-1", Json, """{"name":"W","price":1,"stock":10000000000}""", 400, "stock" },
        { "PUT", "/items/widget-1", Json, """{"name":"W","price":1,"stock":1000001}""", 400, "stock" },
        { "PUT", "/items/widget-1", Json, """{"name":"W","price":1,"stock":-1}""", 400, "stock" },
        { "PUT", "/items/widget-1", Json, """{"name":"W","price":1}""", 400, "stock" },
        { "PUT", "/items/widget-1", Json, """{"price":1,"stock":1}""", 400, "name" },
        { "PUT", "/items/widget-1", Json, """{"name":123,"price":1,"stock":1}""", 400, "name" },
        { "PUT", "/items/widget-1", Json, """{"name":"a\u0000b","price":1,"stock":1}""", 400, "name" },
        { "PUT", "/items/widget-1", Json, $$"""{"name":"{{new string('n', 201)}}","price":1,"stock":1}""", 400, "name" },
        { "POST", "/items/widget-1/reservations", Json, """{"orderId":"o-1"}""", 400, "quantity" },
        { "POST", "/items/widget-1/reservations", Json, """{"orderId":"o-1","quantity":"2"}""", 400, "quantity" },
        { "POST", "/items/widget-1/reservations", Json, """{"orderId":"o-1","quantity":0}""", 400, "quantity" },
        { "POST", "/items/widget-1/reservations", Json, """{"orderId":"o-1","quantity":1000001}""", 400, "quantity" },
        { "POST", "/items/widget-1/reservations", Json, """{"orderId":"o-1","quantity":2147483648}""", 400, "quantity" },
        { "POST", "/items/widget-1/reservations", Json, """{"quantity":1}""", 400, "orderId" },
        { "POST", "/items/widget-1/reservations", Json, """{"orderId":"o 1","quantity":1}""", 400, "orderId" },
        { "POST", "/items/widget-1/reservations", Json, """{"orderId":"o-1\n","quantity":1}""", 400, "orderId" },
        { "POST", "/items/widget-1/reservations", Json, """{"orderId":5,"quantity":1}""", 400, "orderId" },
        // query strings
        { "GET", "/items?limit=abc", null, null, 400, "limit" },
        { "GET", "/items?limit=0", null, null, 400, "limit" },
        { "GET", "/items?limit=101", null, null, 400, "limit" },
        { "GET", "/items?cursor=%2A%2A%2A", null, null, 400, "cursor" },
        // unknown ids
        { "GET", "/items/ghost", null, null, 404, null },
        { "POST", "/items/ghost/reservations", Json, """{"orderId":"o-1","quantity":1}""", 404, null },
        // a reservation the order already holds with another quantity
        { "POST", "/items/widget-1/reservations", Json, """{"orderId":"held","quantity":3}""", 409, null },
        // bodies above the limit (64 KiB), the limit said in the answer
        { "PUT", "/items/widget-1", Json, $$"""{"name":"{{new string('n', 70_000)}}","price":1,"stock":1}""", 413, null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task MalformedRequest_Answers4xxProblemNamingTheField_AndChangesNothing(
        string method, string path, string? contentType, string? body, int status, string? field)
    {
        await using var app = new CatalogApp();
        var http = app.CreateClient();
        Assert.Equal(HttpStatusCode.Created, (await http.PutItemAsync("widget-1", "Widget", 9.99m, 10)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await http.ReserveAsync("widget-1", "held", 2)).StatusCode);
        var eventsBefore = app.Dapr.PublishedEvents.Count;
        var before = app.Dapr.PeekState<JsonElement>(DaprNames.CatalogStore, "item:widget-1").GetRawText();

        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (contentType is not null)
        {
            request.Content = new StringContent(body ?? "", Encoding.UTF8, contentType);
        }

        var response = await http.SendAsync(request);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        if (field is not null)
        {
            var errors = problem.GetProperty("errors");
            Assert.True(errors.TryGetProperty(field, out _), $"errors name {string.Join(", ", errors.EnumerateObject().Select(e => e.Name))}, not {field}");
        }

        if (status == 413)
        {
            Assert.Contains("65536 bytes", problem.GetProperty("detail").GetString());
        }

        Assert.Equal(before, app.Dapr.PeekState<JsonElement>(DaprNames.CatalogStore, "item:widget-1").GetRawText());
        Assert.Equal(eventsBefore, app.Dapr.PublishedEvents.Count);
        Assert.Equal(["widget-1"], await http.ListIdsAsync());
    }
}
