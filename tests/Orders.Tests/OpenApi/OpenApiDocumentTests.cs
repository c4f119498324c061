using TestSupport;

namespace Orders.Tests.OpenApi;

/// <summary>Orders' <c>/openapi/v1.json</c>: the shared checks over its answers, and its request and response bodies.</summary>
public sealed class OpenApiDocumentTests : OpenApiDocumentChecks, IClassFixture<Apis.OrdersApiFactory>
{
    private readonly Apis.OrdersApiFactory _app;

    public OpenApiDocumentTests(Apis.OrdersApiFactory app) : base(Answers) => _app = app;

    /// <summary>The statuses each handler can answer (503 from any of them when the sidecar cannot be reached).</summary>
    public static TheoryData<string, int[]> Answers => new()
    {
        { "POST /orders", [202, 400, 409, 503] },
        { "GET /orders/{id}", [200, 400, 404, 503] },
        { "POST /orders/{id}/approval", [202, 400, 404, 409, 503] },
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

        Assert.Equal(["customerId", "lines", "orderId"], document.Properties("POST /orders").Order());
        Assert.Equal(["orderId", "status"], document.Properties("POST /orders", 202).Order());
        Assert.Equal(["customerId", "lines", "orderId", "reason", "status", "total"], document.Properties("GET /orders/{id}", 200).Order());
        Assert.Equal(["approved"], document.Properties("POST /orders/{id}/approval").Order());
    }
}
