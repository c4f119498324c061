using TestDoubles;

namespace TestSupport;

/// <summary>
/// What every service's <c>/openapi/v1.json</c> must show of its endpoints, written once and linked into each service's
/// test project: every routed endpoint is documented and nothing else is, and each operation lists exactly the statuses
/// its handler answers, errors as problem details. A service's class gives its app, its table of answers (a static
/// <c>Answers</c> with a theory over <see cref="AssertAnswersAsync"/>) and anything it routes that is not its API, and
/// keeps its own schema checks.
/// </summary>
public abstract class OpenApiDocumentChecks
{
    private const string ProblemJson = "application/problem+json";
    private readonly IReadOnlyList<string> _operations;

    /// <summary>Checks against the service's table of answers: each row's operation ("METHOD /path") and its statuses.</summary>
    protected OpenApiDocumentChecks(TheoryData<string, int[]> answers) => _operations = [.. answers.Select(row => (string)row[0])];

    /// <summary>A client of the service under test.</summary>
    protected abstract HttpClient CreateClient();

    /// <summary>The service's services, to read what it routes.</summary>
    protected abstract IServiceProvider Services { get; }

    /// <summary>Endpoints the service routes that are not its API (so not documented), e.g. Dapr's subscription discovery.</summary>
    protected virtual IEnumerable<string> NotTheApi => [];

    [Fact]
    public async Task Document_ListsEveryRoutedEndpointAndNothingElse()
    {
        var document = await FetchAsync();

        Assert.Equal(OpenApiContract.Endpoints(Services).Except(NotTheApi).Order(), document.Operations().Order());
        Assert.Equal(_operations.Order(), document.Operations().Order());
    }

    /// <summary>
    /// The check of each row of the service's <c>Answers</c>: the operation lists exactly <paramref name="statuses"/>,
    /// each error as problem details. (The theory itself is the service's: its data is the service's static table.)
    /// </summary>
    protected async Task AssertAnswersAsync(string operation, int[] statuses)
    {
        var document = await FetchAsync();

        Assert.Equal(statuses.Order(), document.Statuses(operation).Order());
        foreach (var error in statuses.Where(s => s >= 400))
        {
            Assert.Contains(ProblemJson, document.ContentTypes(operation, error));
        }
    }

    /// <summary>The service's document.</summary>
    protected Task<OpenApiContract> FetchAsync() => OpenApiContract.FetchAsync(CreateClient());
}
