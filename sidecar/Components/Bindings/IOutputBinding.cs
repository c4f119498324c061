namespace Sidecar.Components.Bindings;

/// <summary>
/// An output binding component (<c>bindings.*</c> that the app calls through <c>/v1.0/bindings/{name}</c>), as
/// components-contrib's <c>bindings.OutputBinding</c>: a fixed list of operations and one call per request.
/// </summary>
public interface IOutputBinding
{
    /// <summary>The operations the binding accepts (<c>create</c>, <c>get</c>, <c>exec</c>...).</summary>
    IReadOnlyList<string> Operations { get; }

    /// <summary>
    /// Runs <paramref name="request"/>; null means "nothing to answer" (daprd answers 204). Throws
    /// <see cref="BindingException"/> when the operation fails, with whatever metadata the binding still reports.
    /// </summary>
    Task<BindingResponse?> InvokeAsync(BindingRequest request, CancellationToken cancellationToken);
}

/// <summary>What the app asked of an output binding: the operation, the data bytes and the request metadata.</summary>
public sealed record BindingRequest(string Operation, byte[] Data, IReadOnlyDictionary<string, string> Metadata)
{
    /// <summary>A metadata value, or null when absent or empty (components-contrib treats both alike).</summary>
    public string? Get(string key) => Metadata.TryGetValue(key, out var value) && value.Length > 0 ? value : null;
}

/// <summary>What an output binding answered: data bytes and response metadata.</summary>
public sealed record BindingResponse(byte[] Data, IReadOnlyDictionary<string, string> Metadata)
{
    /// <summary>An answer with <paramref name="data"/> and no metadata.</summary>
    public static BindingResponse Of(byte[] data) => new(data, new Dictionary<string, string>(StringComparer.Ordinal));
}

/// <summary>
/// A failed binding operation. <see cref="Metadata"/> is what the binding reported anyway (daprd still returns it,
/// e.g. the status code of a failed HTTP call).
/// </summary>
public sealed class BindingException(string message, IReadOnlyDictionary<string, string>? metadata = null, Exception? inner = null)
    : Exception(message, inner)
{
    public IReadOnlyDictionary<string, string>? Metadata { get; } = metadata;
}
