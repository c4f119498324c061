namespace Sidecar.NameResolution;

/// <summary>Finds the sidecar that serves an app id: in this process or, through the registry, in another one.</summary>
public interface INameResolver
{
    /// <summary>
    /// The instance the next call to <paramref name="appId"/> goes to (instances take turns), skipping the keys in
    /// <paramref name="exclude"/> (instances already tried by this call); null when there is none.
    /// </summary>
    ValueTask<ResolvedTarget?> ResolveAsync(string appId, IReadOnlySet<string> exclude, CancellationToken cancellationToken);

    /// <summary>
    /// A connection to <paramref name="instance"/> was refused: skip it until it renews its registration (a live sidecar
    /// does within a heartbeat; a dead one never does and expires).
    /// </summary>
    void ReportUnreachable(AppInstance instance);
}
