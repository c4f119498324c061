namespace Sidecar.AppChannel.Resiliency;

/// <summary>
/// The breakers of one app's methods, least recently used dropped beyond the capacity (daprd's
/// <c>circuitBreakerCacheSize</c>), so paths with ids in them cannot grow memory without bound.
/// </summary>
// dapr/dapr pkg/resiliency/resiliency.go serviceCBs (an LRU cache per app)
internal sealed class BreakerCache(int capacity)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, LinkedListNode<(string Key, CircuitBreaker Breaker)>> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Key, CircuitBreaker Breaker)> _recency = new();

    public CircuitBreaker GetOrAdd(string key, Func<CircuitBreaker> create)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var node))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                return node.Value.Breaker;
            }

            node = _recency.AddFirst((key, create()));
            _entries[key] = node;
            if (_entries.Count > capacity)
            {
                _entries.Remove(_recency.Last!.Value.Key);
                _recency.RemoveLast();
            }

            return node.Value.Breaker;
        }
    }
}
