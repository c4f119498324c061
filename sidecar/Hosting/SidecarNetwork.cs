using System.Collections.Concurrent;

namespace Sidecar.Hosting;

/// <summary>
/// What the sidecars of one run share: name resolution (app id → that sidecar's services, so invocation reaches the
/// target's app channel) and the embedded components that every app of the run uses together (one broker, one SQLite
/// store). A single sidecar started by hand has a network of its own.
/// </summary>
public sealed class SidecarNetwork : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, IServiceProvider> _sidecars = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<object>> _shared = new(StringComparer.Ordinal);

    /// <summary>Makes a started sidecar reachable by its app id.</summary>
    public void Register(string appId, IServiceProvider services) => _sidecars[appId] = services;

    /// <summary>Removes a stopping sidecar.</summary>
    public void Unregister(string appId) => _sidecars.TryRemove(appId, out _);

    /// <summary>The services of the sidecar of <paramref name="appId"/>, or null when no such app runs.</summary>
    public IServiceProvider? Resolve(string appId) => _sidecars.TryGetValue(appId, out var services) ? services : null;

    /// <summary>The app ids currently reachable.</summary>
    public IReadOnlyCollection<string> AppIds => [.. _sidecars.Keys];

    /// <summary>One instance per key for the whole run (e.g. the embedded broker), created on first use.</summary>
    public T GetOrAddShared<T>(string key, Func<T> factory) where T : class =>
        (T)_shared.GetOrAdd(key, _ => new Lazy<object>(() => factory())).Value;

    public async ValueTask DisposeAsync()
    {
        foreach (var shared in _shared.Values.Where(l => l.IsValueCreated).Select(l => l.Value))
        {
            switch (shared)
            {
                case IAsyncDisposable asyncDisposable: await asyncDisposable.DisposeAsync(); break;
                case IDisposable disposable: disposable.Dispose(); break;
            }
        }

        _shared.Clear();
    }
}
