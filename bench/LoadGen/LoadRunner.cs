using System.Diagnostics;

namespace LoadGen;

/// <summary>Two ways of loading a URL: open loop at a fixed rate, and closed loop at saturation.</summary>
internal sealed class LoadRunner(HttpClient client)
{
    /// <summary>
    /// Sends requests at a fixed rate whatever the server does (open loop). Latency is measured from each request's
    /// scheduled start, so a stalled server shows up in the percentiles instead of silently lowering the rate.
    /// </summary>
    public async Task<RunSummary> FixedRateAsync(string name, Uri url, int requestsPerSecond, TimeSpan duration)
    {
        var recorder = new LatencyRecorder();
        var total = (int)(requestsPerSecond * duration.TotalSeconds);
        var interval = TimeSpan.FromSeconds(1.0 / requestsPerSecond);
        var clock = Stopwatch.StartNew();
        var inFlight = new List<Task>(total);

        for (var i = 0; i < total; i++)
        {
            var scheduled = interval * i;
            var wait = scheduled - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait);
            }

            inFlight.Add(SendAsync(url, recorder, clock, scheduled));
        }

        await Task.WhenAll(inFlight);
        return recorder.Summarise(name, clock.Elapsed);
    }

    /// <summary>Keeps <paramref name="connections"/> requests in flight for <paramref name="duration"/> (closed loop).</summary>
    public async Task<RunSummary> SaturateAsync(string name, Uri url, int connections, TimeSpan duration)
    {
        var recorder = new LatencyRecorder();
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, connections).Select(async _ =>
        {
            while (clock.Elapsed < duration)
            {
                await SendAsync(url, recorder, clock, clock.Elapsed);
            }
        });
        await Task.WhenAll(workers);
        return recorder.Summarise(name, clock.Elapsed);
    }

    private async Task SendAsync(Uri url, LatencyRecorder recorder, Stopwatch clock, TimeSpan startedAt)
    {
        var ok = false;
        try
        {
            using var response = await client.GetAsync(url, HttpCompletionOption.ResponseContentRead);
            ok = response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
        }
        catch (TaskCanceledException)
        {
        }

        recorder.Record(clock.Elapsed - startedAt, ok);
    }
}
