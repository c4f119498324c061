using System.Collections.Concurrent;
using Sidecar.Components;
using Sidecar.Hosting;

namespace Sidecar.Metadata;

/// <summary>The metadata building block: what this sidecar serves, plus attributes the app sets (extended metadata).</summary>
public interface IMetadataApi
{
    SidecarMetadata Get();

    /// <summary>Sets an extended attribute (<c>PUT /v1.0/metadata/{key}</c>, gRPC <c>SetMetadata</c>).</summary>
    void Set(string key, string value);
}

internal sealed class MetadataApi(
    SidecarOptions options, IComponentRegistry components, IEnumerable<IMetadataContributor> contributors) : IMetadataApi
{
    /// <summary>The daprd version whose API this sidecar follows.</summary>
    public const string RuntimeVersion = "1.18.0-local";

    private readonly ConcurrentDictionary<string, string> _extended = new(StringComparer.Ordinal)
    {
        ["daprRuntimeVersion"] = RuntimeVersion,
    };

    public SidecarMetadata Get() => new(
        options.AppId,
        RuntimeVersion,
        [.. components.Components.Select(c => new ComponentMetadata(c.Name, c.Definition.Type, c.Definition.Version, c.Capabilities))],
        [.. contributors.SelectMany(c => c.Subscriptions)],
        Extended(),
        options.AppPort is { } port ? new AppConnectionMetadata(port, options.AppProtocol, options.AppHost) : null);

    public void Set(string key, string value) => _extended[key] = value;

    /// <summary>The app's attributes, plus where this sidecar serves its Prometheus metrics (as the Dapr CLI lists it).</summary>
    private SortedDictionary<string, string> Extended()
    {
        var extended = new SortedDictionary<string, string>(_extended, StringComparer.Ordinal);
        if (options.Observability.MetricsPort is { } port)
        {
            extended["metricsPort"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return extended;
    }
}
