using Sidecar.Hosting;

namespace Sidecar.Tests.PubSub.Brokers;

/// <summary>
/// The broker a pub/sub test runs against: its component YAML for the pub/sub named <c>pubsub</c> and what a sidecar
/// needs to use it. The shared pub/sub suite runs each test once per broker.
/// </summary>
public abstract class Broker
{
    /// <summary>The <c>pubsub.yaml</c> resource; <paramref name="metadata"/> adds component metadata (ignored where the broker has none).</summary>
    public abstract (string File, string Yaml) Component(IReadOnlyDictionary<string, string>? metadata = null);

    /// <summary>Sidecar options this broker needs.</summary>
    public virtual SidecarOptions Configure(SidecarOptions options) => options;

    protected static string MetadataYaml(IReadOnlyDictionary<string, string> metadata) => string.Concat(metadata.Select(m => $"""

            - name: {m.Key}
              value: "{m.Value}"
        """));
}
