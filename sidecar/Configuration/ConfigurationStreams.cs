using System.Collections.Concurrent;

namespace Sidecar.Configuration;

/// <summary>
/// The open gRPC <c>SubscribeConfiguration</c> streams by subscription id, so the deprecated
/// <c>UnsubscribeConfiguration</c> RPC can end one, as daprd's component store of subscriptions does.
/// </summary>
internal sealed class ConfigurationStreams
{
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _streams = new(StringComparer.Ordinal);

    /// <summary>Registers stream <paramref name="id"/>; the token is cancelled when someone unsubscribes it.</summary>
    public CancellationToken Register(string id)
    {
        var stop = new CancellationTokenSource();
        _streams[id] = stop;
        return stop.Token;
    }

    /// <summary>Forgets stream <paramref name="id"/> once it has ended.</summary>
    public void Remove(string id)
    {
        if (_streams.TryRemove(id, out var stop))
        {
            stop.Dispose();
        }
    }

    /// <summary>Ends stream <paramref name="id"/>; false when no such stream is open.</summary>
    public bool Stop(string id)
    {
        if (!_streams.TryRemove(id, out var stop))
        {
            return false;
        }

        stop.Cancel();
        stop.Dispose();
        return true;
    }
}
