using System.Net;
using TestDoubles;

namespace Catalog.Tests.OpenApi;

/// <summary>The catalog's <c>/openapi/v1.json</c> against its endpoints: routes, bodies, and every problem answer.</summary>
public sealed class OpenApiDocumentTests : IClassFixture<CatalogApp>
{
    private const string ProblemJson = "application/problem+json";
    private readonly CatalogApp _app;

    public OpenApiDocumentTests(CatalogApp app) => _app = app;

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

    [Fact]
    public async Task Document_ListsEveryRoutedEndpointAndNothingElse()
    {
        var document = await OpenApiContract.FetchAsync(_app.CreateClient());

        Assert.Equal(OpenApiContract.Endpoints(_app.Services).Order(), document.Operations().Order());
        Assert.Equal(Answers.Select(a => (string)a[0]).Order(), document.Operations().Order());
    }

    [Theory]
    [MemberData(nameof(Answers))]
    public async Task Operation_ListsItsAnswers_ErrorsAsProblemDetails(string operation, int[] statuses)
    {
        var document = await OpenApiContract.FetchAsync(_app.CreateClient());

        Assert.Equal(statuses.Order(), document.Statuses(operation).Order());
        foreach (var error in statuses.Where(s => s >= 400))
        {
            Assert.Contains(ProblemJson, document.ContentTypes(operation, error));
        }
    }

    [Fact]
    public async Task Schemas_NameTheFieldsTheApiReadsAndWrites()
    {
        var document = await OpenApiContract.FetchAsync(_app.CreateClient());

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
