namespace Sidecar.Workflow.Tests.CrossApp;

/// <summary>Waits for a condition that another app's sidecar makes true in its own time, failing the test rather than hanging.</summary>
internal static class Poll
{
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan? timeout = null, string? what = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        while (!await condition())
        {
            try
            {
                await Task.Delay(50, cts.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"timed out waiting for {what ?? "the condition"}");
            }
        }
    }
}
