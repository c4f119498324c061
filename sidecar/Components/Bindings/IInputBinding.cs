namespace Sidecar.Components.Bindings;

/// <summary>
/// An input binding component: once started it calls the handler for every event it reads, as components-contrib's
/// <c>bindings.InputBinding.Read</c>. The handler's failure is the binding's business (cron ignores it).
/// </summary>
public interface IInputBinding
{
    /// <summary>
    /// Starts reading; returns once reading has started. Events go to <paramref name="handler"/> until
    /// <paramref name="stopping"/> is cancelled or the binding is disposed.
    /// </summary>
    Task StartAsync(Func<BindingEvent, CancellationToken, Task> handler, CancellationToken stopping);
}

/// <summary>One event an input binding read: data bytes (empty for cron) and metadata (sent to the app as headers).</summary>
public sealed record BindingEvent(byte[] Data, IReadOnlyDictionary<string, string> Metadata);
