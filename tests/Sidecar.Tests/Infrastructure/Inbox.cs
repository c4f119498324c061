using System.Collections.Concurrent;

namespace Sidecar.Tests.Infrastructure;

/// <summary>What a test app received, with a wait for the n-th item instead of sleeps.</summary>
public sealed class Inbox<T>
{
    private readonly ConcurrentQueue<T> _items = new();
    private readonly SemaphoreSlim _arrived = new(0);

    public IReadOnlyList<T> Items => [.. _items];

    public void Add(T item)
    {
        _items.Enqueue(item);
        _arrived.Release();
    }

    /// <summary>Waits until <paramref name="count"/> items arrived in all; fails the test after <paramref name="timeout"/> (5 s by default).</summary>
    public async Task<IReadOnlyList<T>> WaitForAsync(int count = 1, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(5));
        try
        {
            while (_items.Count < count)
            {
                await _arrived.WaitAsync(cts.Token);
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"expected {count} item(s), got {_items.Count}");
        }

        return Items;
    }

    /// <summary>Asserts nothing more than <paramref name="count"/> items arrive within <paramref name="window"/>.</summary>
    public async Task AssertStaysAtAsync(int count, TimeSpan window)
    {
        await Task.Delay(window);
        Assert.Equal(count, _items.Count);
    }
}
