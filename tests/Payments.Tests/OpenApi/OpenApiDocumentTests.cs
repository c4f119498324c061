using TestSupport;

namespace Payments.Tests.OpenApi;

/// <summary>Payments' <c>/openapi/v1.json</c>: the shared checks over its answers, and its request and response bodies.</summary>
public sealed class OpenApiDocumentTests : OpenApiDocumentChecks, IClassFixture<PaymentsAppFixture>
{
    private readonly PaymentsApp _app;

    public OpenApiDocumentTests(PaymentsAppFixture fixture) : base(Answers) => _app = fixture.App;

    /// <summary>The statuses each handler can answer (503 from any of them when the sidecar cannot be reached).</summary>
    public static TheoryData<string, int[]> Answers => new()
    {
        { "POST /payments", [200, 400, 409, 503] },
        { "GET /payments/{orderId}", [200, 400, 404, 503] },
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
