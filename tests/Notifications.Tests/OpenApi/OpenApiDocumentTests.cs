using TestSupport;

namespace Notifications.Tests.OpenApi;

/// <summary>Notifications' <c>/openapi/v1.json</c>: the shared checks over its answers, and its request and response bodies.</summary>
public sealed class OpenApiDocumentTests : OpenApiDocumentChecks, IClassFixture<NotificationsApiFactory>
{
    private readonly NotificationsApiFactory _app;

    public OpenApiDocumentTests(NotificationsApiFactory app) : base(Answers) => _app = app;

    /// <summary>The statuses each handler can answer (503 from any of them when the sidecar cannot be reached).</summary>
    public static TheoryData<string, int[]> Answers => new()
    {
        { "GET /notifications", [200, 400, 503] },
        { "POST /events/orders/completed", [200, 503] },
        { "POST /events/orders/cancelled", [200, 503] },
        { "POST /events/orders", [200, 503] },
        { "POST /events/orders-deadletter", [200, 503] },
        { "POST /events/items", [200, 503] },
    };

    protected override IServiceProvider Services => _app.Services;

    /// <summary>Dapr's subscription discovery (Dapr.AspNetCore's MapSubscribeHandler) is the sidecar's, not the API's.</summary>
    protected override IEnumerable<string> NotTheApi => ["GET /dapr/subscribe"];

    protected override HttpClient CreateClient() => _app.CreateClient();

    [Theory]
    [MemberData(nameof(Answers))]
    public Task Operation_ListsItsAnswers_ErrorsAsProblemDetails(string operation, int[] statuses) => AssertAnswersAsync(operation, statuses);

    [Fact]
    public async Task Schemas_NameTheFieldsTheApiReadsAndWrites()
    {
        var document = await FetchAsync();

        Assert.Equal(["status"], document.Properties("POST /events/orders/completed", 200).Order());
    }
}
