using System.Net;
using TestSupport;

namespace Catalog.Tests.OpenApi;

/// <summary>Catalog's <c>/openapi/v1.json</c>: the shared checks over its answers, and its request and response bodies.</summary>
public sealed class OpenApiDocumentTests : OpenApiDocumentChecks, IClassFixture<CatalogApp>
{
    private readonly CatalogApp _app;

    public OpenApiDocumentTests(CatalogApp app) : base(Answers) => _app = app;

    /// <summary>The statuses each handler can answer (503: the sidecar is unreachable or the item stays contended).</summary>
    public static TheoryData<string, int[]> Answers => new()
    {
        { "GET /items", [200, 400, 503] },
        { "GET /items/{id}", [200, 400, 404, 503] },
        { "PUT /items/{id}", [200, 201, 400, 503] },
        { "DELETE /items/{id}", [204, 400, 503] },
        { "POST /items/{id}/reservations", [200, 201, 400, 404, 409, 503] },
        { "DELETE /items/{id}/reservations/{orderId}", [204, 400, 503] },
    };

    protected override IServiceProvider Services => _app.Services;

    protected override HttpClient CreateClient() => _app.CreateClient();

    [Theory]
    [MemberData(nameof(Answers))]
    public Task Operation_ListsItsAnswers_ErrorsAsProblemDetails(string operation, int[] statuses) => AssertAnswersAsync(operation, statuses);

    [Fact]
    public async Task Schemas_NameTheFieldsTheApiReadsAndWrites()
    {
        var document = await FetchAsync();

        Assert.Equal(["name", "price", "stock"], document.Properties("PUT /items/{id}").Order());
        Assert.Equal(["id", "name", "price", "stock"], document.Properties("GET /items/{id}", 200).Order());
        Assert.Equal(["orderId", "quantity"], document.Properties("POST /items/{id}/reservations").Order());
        Assert.Equal(["itemId", "orderId", "quantity", "unitPrice"], document.Properties("POST /items/{id}/reservations", 201).Order());
        Assert.Equal(["items", "nextCursor"], document.Properties("GET /items", 200).Order());
    }

    [Fact]
    public async Task Scalar_ServesTheApiReferenceInDevelopment()
    {
        var response = await _app.CreateClient().GetAsync("/scalar");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("openapi/v1.json", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
