using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ServiceDefaults.State;
using TestDoubles;

namespace Catalog.Tests.ServiceDefaults;

/// <summary>The shared read-change-write loop: retries lost rounds, gives up bounded, never writes a decision twice.</summary>
public class OptimisticStateTests
{
    private const string Store = "statestore";

    private static OptimisticState Create(FakeDaprClient dapr, int maxAttempts = 5) =>
        new(dapr, Options.Create(new OptimisticConcurrencyOptions { MaxAttempts = maxAttempts }), NullLogger<OptimisticState>.Instance);

    [Fact]
    public async Task UpdateAsync_WhenKeyIsMissing_CreatesItAndReturnsTheResult()
    {
        using var dapr = new FakeDaprClient();

        var result = await Create(dapr).UpdateAsync<int, string>(Store, "counter", current => StateChange<int, string>.Write(current + 1, "created"), default);

        Assert.Equal("created", result);
        Assert.Equal(1, dapr.PeekState<int>(Store, "counter"));
    }

    [Fact]
    public async Task UpdateAsync_WhenConflictsAreInjected_ReadsAgainAndWritesOnce()
    {
        using var dapr = new FakeDaprClient();
        dapr.SetState(Store, "counter", 10);
        dapr.InjectETagConflicts(3, key: "counter");
        var rounds = 0;

        await Create(dapr).UpdateAsync<int, int>(Store, "counter", current =>
        {
            rounds++;
            return StateChange<int, int>.Write(current + 1, current + 1);
        }, default);

        Assert.Equal(4, rounds);
        Assert.Equal(11, dapr.PeekState<int>(Store, "counter"));
    }

    [Fact]
    public async Task UpdateAsync_WhenEveryAttemptLoses_ThrowsContentionNamingKeyAndAttemptsAndWritesNothing()
    {
        using var dapr = new FakeDaprClient();
        dapr.SetState(Store, "counter", 10);
        dapr.InjectETagConflicts(5, key: "counter");

        var error = await Assert.ThrowsAsync<ContentionException>(() =>
            Create(dapr, maxAttempts: 5).UpdateAsync<int, int>(Store, "counter", c => StateChange<int, int>.Write(c + 1, 0), default));

        Assert.Equal(("counter", 5), (error.Key, error.Attempts));
        Assert.Equal(10, dapr.PeekState<int>(Store, "counter"));
    }

    [Fact]
    public async Task UpdateAsync_WhenTheDecisionKeeps_WritesNothing()
    {
        using var dapr = new FakeDaprClient();
        dapr.SetState(Store, "counter", 10);
        var rejectedBefore = dapr.RejectedStateWrites;
        dapr.InjectETagConflicts(1, key: "counter");

        var result = await Create(dapr).UpdateAsync<int, int>(Store, "counter", c => StateChange<int, int>.Keep(c), default);

        Assert.Equal(10, result);
        Assert.Equal(rejectedBefore, dapr.RejectedStateWrites);
    }

    [Fact]
    public async Task UpdateAsync_ManyConcurrentIncrements_LoseNone()
    {
        using var dapr = new FakeDaprClient();
        var state = Create(dapr, maxAttempts: 64);

        // The first two changes wait for each other after their reads, so at least one write is made with a stale
        // ETag whatever the scheduling: the collision this test is about always happens.
        using var bothRead = new CountdownEvent(2);
        var changes = 0;
        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() =>
            state.UpdateAsync<int, int>(Store, "counter", c =>
            {
                if (Interlocked.Increment(ref changes) <= 2)
                {
                    bothRead.Signal();
                    bothRead.Wait(TimeSpan.FromSeconds(10));
                }

                return StateChange<int, int>.Write(c + 1, 0);
            }, default))));

        Assert.Equal(20, dapr.PeekState<int>(Store, "counter"));
        Assert.True(dapr.RejectedStateWrites > 0, "the increments should have collided");
    }
}
