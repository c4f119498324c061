using TestDoubles;

namespace Notifications.Tests.OpenApi;

/// <summary>The service's <c>/openapi/v1.json</c> against its endpoints: routes, bodies, and every problem answer.</summary>
public sealed class OpenApiDocumentTests : IClassFixture<NotificationsApiFactory>
{
    private const string ProblemJson = "application/problem+json";
    private readonly NotificationsApiFactory _app;

    public OpenApiDocumentTests(NotificationsApiFactory app) => _app = app;

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

    [Fact]
    public async Task Document_ListsEveryRoutedEndpointAndNothingElse()
    {
        var document = await OpenApiContract.FetchAsync(_app.CreateClient());

        // Dapr's subscription discovery (Dapr.AspNetCore's MapSubscribeHandler) is the sidecar's, not the API's.
        var endpoints = OpenApiContract.Endpoints(_app.Services).Where(e => e != "GET /dapr/subscribe");
        Assert.Equal(endpoints.Order(), document.Operations().Order());
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

        Assert.Equal(["status"], document.Properties("POST /events/orders/completed", 200).Order());
    }
}
