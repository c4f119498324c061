using TestDoubles;

namespace Payments.Tests.OpenApi;

/// <summary>The service's <c>/openapi/v1.json</c> against its endpoints: routes, bodies, and every problem answer.</summary>
public sealed class OpenApiDocumentTests : IClassFixture<PaymentsAppFixture>
{
    private const string ProblemJson = "application/problem+json";
    private readonly PaymentsApp _app;

    public OpenApiDocumentTests(PaymentsAppFixture fixture) => _app = fixture.App;

    /// <summary>The statuses each handler can answer (503 from any of them when the sidecar cannot be reached).</summary>
    public static TheoryData<string, int[]> Answers => new()
    {
        { "POST /payments", [200, 400, 409, 503] },
        { "GET /payments/{orderId}", [200, 400, 404, 503] },
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

        Assert.Equal(["amount", "customerId", "orderId"], document.Properties("POST /payments").Order());
        Assert.Equal(["amount", "customerId", "orderId", "processedAt", "reason", "status"], document.Properties("POST /payments", 200).Order());
        Assert.Equal(["amount", "customerId", "orderId", "processedAt", "reason", "status"], document.Properties("GET /payments/{orderId}", 200).Order());
    }
}

/// <summary>One <see cref="PaymentsApp"/> with its defaults for the class (its constructor takes optional arguments).</summary>
public sealed class PaymentsAppFixture : IDisposable
{
    public PaymentsApp App { get; } = new();

    public void Dispose() => App.Dispose();
}
