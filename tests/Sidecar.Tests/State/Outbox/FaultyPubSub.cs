using Microsoft.Extensions.DependencyInjection;
using Sidecar.Components;
using Sidecar.Components.PubSub;

namespace Sidecar.Tests.State.Outbox;

/// <summary>
/// A broker that refuses the first <see cref="Failures"/> publishes, as a broker that is briefly down does, then
/// behaves as the in-memory broker it wraps. Registered as component type <see cref="Type"/>.
/// </summary>
internal sealed class FaultyPubSub(IPubSub inner, int failures) : IPubSub, IAsyncDisposable
{
    public const string Type = "pubsub.faulty";
    private int _attempts;

    /// <summary>How many publishes fail before the broker works (int.MaxValue: it never does).</summary>
    public int Failures { get; } = failures;

    public int Attempts => Volatile.Read(ref _attempts);

    /// <summary>Registers the type; every component of it fails its first <paramref name="failures"/> publishes.</summary>
    public static void Register(IServiceCollection services, int failures) =>
        services.AddComponentFactory(Type, c => new FaultyPubSub(InMemoryPubSub.Create(c), failures));

    public Task PublishAsync(string topic, PubSubMessage message, CancellationToken cancellationToken) =>
        Interlocked.Increment(ref _attempts) <= Failures
            ? throw new IOException("broker unavailable")
            : inner.PublishAsync(topic, message, cancellationToken);

    public IAsyncDisposable Subscribe(string topic, string consumerGroup, Func<PubSubMessage, CancellationToken, Task> handler) =>
        inner.Subscribe(topic, consumerGroup, handler);

    public ValueTask DisposeAsync() => inner is IAsyncDisposable disposable ? disposable.DisposeAsync() : ValueTask.CompletedTask;
}
