namespace Sidecar.Components.State;

/// <summary>
/// A store that can list its live keys by prefix. The transactional outbox needs it to find, after a restart, the
/// events whose transaction committed but whose publish had not finished.
/// </summary>
public interface IStateKeyScan
{
    /// <summary>Every live (unexpired) stored key that starts with <paramref name="prefix"/>, in no promised order.</summary>
    Task<IReadOnlyList<string>> KeysWithPrefixAsync(string prefix, CancellationToken cancellationToken);
}
