using Dapr.Workflow;

namespace WorkflowBench;

/// <summary>Dapr's perf-suite shapes: five chained activities, and five activities fanned out then joined.</summary>
internal static class BenchWorkflows
{
    public const string Chained = "Chained";
    public const string Parallel = "Parallel";
    private const string Step = "Step";
    private const int Activities = 5;

    public static void Register(WorkflowRuntimeOptions options)
    {
        options.RegisterWorkflow<int, int>(Chained, async (context, input) =>
        {
            var value = input;
            for (var i = 0; i < Activities; i++)
            {
                value = await context.CallActivityAsync<int>(Step, value);
            }

            return value;
        });
        options.RegisterWorkflow<int, int>(Parallel, async (context, input) =>
        {
            var results = await Task.WhenAll(Enumerable.Range(0, Activities).Select(i => context.CallActivityAsync<int>(Step, input + i)));
            return results.Sum();
        });
        options.RegisterActivity<int, int>(Step, (_, value) => Task.FromResult(value + 1));
    }
}
