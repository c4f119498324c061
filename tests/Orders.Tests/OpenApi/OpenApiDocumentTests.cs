using TestDoubles;

namespace Orders.Tests.OpenApi;

/// <summary>The service's <c>/openapi/v1.json</c> against its endpoints: routes, bodies, and every problem answer.</summary>
public sealed class OpenApiDocumentTests : IClassFixture<Apis.OrdersApiFactory>
{
    private const string ProblemJson = "application/problem+json";
    private readonly Apis.OrdersApiFactory _app;

    public OpenApiDocumentTests(Apis.OrdersApiFactory app) => _app = app;

    /// <summary>The statuses each handler can answer (503 from any of them when the sidecar cannot be reached).</summary>
    public static TheoryData<string, int[]> Answers => new()
    {
        { "POST /orders", [202, 400, 409, 503] },
        { "GET /orders/{id}", [200, 400, 404, 503] },
        { "POST /orders/{id}/approval", [202, 400, 404, 409, 503] },
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

        Assert.Equal(["customerId", "lines", "orderId"], document.Properties("POST /orders").Order());
        Assert.Equal(["orderId", "status"], document.Properties("POST /orders", 202).Order());
        Assert.Equal(["customerId", "lines", "orderId", "reason", "status", "total"], document.Properties("GET /orders/{id}", 200).Order());
        Assert.Equal(["approved"], document.Properties("POST /orders/{id}/approval").Order());
    }
}
