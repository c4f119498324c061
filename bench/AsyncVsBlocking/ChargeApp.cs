using System.Globalization;

namespace AsyncVsBlocking;

/// <summary>
/// The benchmark-only app: one charge handler written three ways around the same 500 ms of I/O (a timer standing for
/// the payment provider's answer). <c>/async</c> awaits it; <c>/result</c> blocks on it (<c>.Result</c>, sync over
/// async); <c>/sleep</c> blocks the thread for the same time (<c>Thread.Sleep</c>). A dedicated thread (not a pool
/// thread, so it reports even when the pool is starved) prints the pool's thread count and queue every 250 ms.
/// </summary>
internal static class ChargeApp
{
    public static readonly TimeSpan Io = TimeSpan.FromMilliseconds(500);

    public static async Task RunAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();

        app.MapGet("/async", async () => Receipt(await ProviderAsync()));
        app.MapGet("/result", () => Receipt(ProviderAsync().Result));
        app.MapGet("/sleep", () =>
        {
            Thread.Sleep(Io);
            return Receipt("approved");
        });
        app.MapGet("/healthz", () => "ok");

        var reporter = new Thread(() =>
        {
            while (true)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"threads {ThreadPool.ThreadCount} queued {ThreadPool.PendingWorkItemCount}"));
                Thread.Sleep(250);
            }
        })
        { IsBackground = true };
        reporter.Start();
        await app.RunAsync();
    }

    private static async Task<string> ProviderAsync()
    {
        await Task.Delay(Io);
        return "approved";
    }

    private static string Receipt(string status) => $"{{\"status\":\"{status}\"}}";
}
