namespace Sidecar.Components.SecretStores;

/// <summary>
/// A secret store component (<c>secretstores.*</c>): a secret is a name with one or more key/value pairs, as in
/// components-contrib's <c>secretstores.SecretStore</c>.
/// </summary>
public interface ISecretStore
{
    /// <summary>What the store supports, as daprd reports it in metadata (e.g. <c>MULTIPLE_KEY_VALUES_PER_SECRET</c>).</summary>
    IReadOnlyList<string> Features { get; }

    /// <summary>The key/value pairs of secret <paramref name="name"/>; throws <see cref="SecretStoreException"/> when it cannot.</summary>
    ValueTask<IReadOnlyDictionary<string, string>> GetAsync(
        string name, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken);

    /// <summary>Every secret of the store, by name.</summary>
    ValueTask<IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>> GetBulkAsync(
        IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken);
}

/// <summary>A secret the store cannot give; the message never holds a secret value.</summary>
public sealed class SecretStoreException(string message) : Exception(message);
