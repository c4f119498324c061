using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Sidecar.Hosting;
using Sidecar.Invocation;

namespace Sidecar.NameResolution;

/// <summary>
/// Round-robin over the live instances of an app id in the registry, sidecars of this process included (those are
/// called in process). Lookups are cached for <see cref="CacheFor"/> so a busy caller reads the registry about once a
/// second per app id. Without a registry, or when the registry does not know the app yet, the sidecars of this process
/// (<see cref="SidecarNetwork"/>) answer, as before there was a registry.
/// </summary>
internal sealed class NameResolver(SidecarNetwork network, SqliteNameRegistry? registry) : INameResolver
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, Snapshot> _snapshots = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, StrongBox<int>> _turns = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _unreachable = new(StringComparer.Ordinal);

    public async ValueTask<ResolvedTarget?> ResolveAsync(string appId, IReadOnlySet<string> exclude, CancellationToken cancellationToken)
    {
        var live = registry is null ? [] : await LiveAsync(registry, appId, cancellationToken);
        if (live.Count == 0)
        {
            var key = "in-process:" + appId;
            return !exclude.Contains(key) && network.Resolve(appId) is { } services ? new LocalTarget(key, services) : null;
        }

        var untried = live.Where(i => !exclude.Contains(i.RegistrationId)).ToList();
        // Instances that refused a connection come last: tried only when nothing else is left.
        var reachable = untried.Where(i => !IsUnreachable(i)).ToList();
        var candidates = reachable.Count > 0 ? reachable : untried;
        if (candidates.Count == 0)
        {
            return null;
        }

        var turn = _turns.GetOrAdd(appId, _ => new StrongBox<int>(-1));
        var chosen = candidates[(int)((uint)Interlocked.Increment(ref turn.Value) % (uint)candidates.Count)];
        return registry!.LocalServices(chosen.RegistrationId) is { } local
            ? new LocalTarget(chosen.RegistrationId, local)
            : new RemoteTarget(chosen);
    }

    public void ReportUnreachable(AppInstance instance) => _unreachable[instance.RegistrationId] = instance.LastUpdate;

    private bool IsUnreachable(AppInstance instance)
    {
        if (!_unreachable.TryGetValue(instance.RegistrationId, out var seen))
        {
            return false;
        }

        if (instance.LastUpdate > seen)
        {
            // It renewed its registration since it refused: it is alive again.
            _unreachable.TryRemove(instance.RegistrationId, out _);
            return false;
        }

        return true;
    }

    private async ValueTask<IReadOnlyList<AppInstance>> LiveAsync(SqliteNameRegistry registry, string appId, CancellationToken cancellationToken)
    {
        var now = registry.Now();
        if (_snapshots.TryGetValue(appId, out var cached) && now - cached.ReadAt < CacheFor.TotalMilliseconds && cached.Instances.Count > 0)
        {
            var expiredBefore = now - (long)registry.Settings.UpdateInterval.TotalMilliseconds;
            return [.. cached.Instances.Where(i => i.LastUpdate > expiredBefore)];
        }

        IReadOnlyList<AppInstance> instances;
        try
        {
            instances = await registry.LiveAsync(appId, cancellationToken);
        }
        catch (SqliteException e)
        {
            throw InvocationErrors.DirectInvoke(appId, $"name resolution registry {registry.Settings.DatabaseFile}: {e.Message}").ToException();
        }

        _snapshots[appId] = new Snapshot(instances, now);
        return instances;
    }

    private sealed record Snapshot(IReadOnlyList<AppInstance> Instances, long ReadAt);
}
