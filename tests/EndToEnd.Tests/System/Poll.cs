using System.Diagnostics;

namespace EndToEnd.Tests.WholeSystem;

/// <summary>Reads again until an answer is the one expected, for a bounded time; fails with the last answer seen.</summary>
public static class Poll
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    public static async Task<T> UntilAsync<T>(string what, TimeSpan timeout, Func<Task<T>> read, Func<T, bool> done)
    {
        var clock = Stopwatch.StartNew();
        T last;
        do
        {
            last = await read();
            if (done(last))
            {
                return last;
            }

            await Task.Delay(Interval);
        }
        while (clock.Elapsed < timeout);

        throw new TimeoutException($"{what}: not within {timeout.TotalSeconds:0} s; last seen: {last}");
    }
}
