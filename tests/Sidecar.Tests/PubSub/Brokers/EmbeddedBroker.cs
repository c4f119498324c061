using Sidecar.Hosting;

namespace Sidecar.Tests.PubSub.Brokers;

/// <summary>
/// The built-in broker as <c>--embedded</c> serves it: one per <see cref="SidecarNetwork"/> (per run), so sidecars that
/// must share it start on one network. It has no settings: component metadata is ignored.
/// </summary>
public sealed class EmbeddedBroker : Broker
{
    public override (string File, string Yaml) Component(IReadOnlyDictionary<string, string>? metadata = null) => ("pubsub.yaml", """
        apiVersion: dapr.io/v1alpha1
        kind: Component
        metadata:
          name: pubsub
        spec:
          type: pubsub.in-memory
          version: v1
        """);

    public override SidecarOptions Configure(SidecarOptions options) => options with { Embedded = true };
}
