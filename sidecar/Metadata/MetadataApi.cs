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

/// <remarks>Fields and their defaults as dapr/dapr <c>pkg/api/universal/metadata.go</c> GetMetadata fills them.</remarks>
internal sealed class MetadataApi(
    SidecarOptions options, IComponentRegistry components, IEnumerable<IMetadataContributor> contributors, ResourceSet resources,
    IEnumerable<IWorkflowWorkerCount> workflowWorkers) : IMetadataApi
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
        AppConnection())
    {
        HttpEndpoints = [.. resources.OfKind("HTTPEndpoint").Select(e => e.Name)],
        ConnectedWorkflowWorkers = workflowWorkers.Sum(w => w.ConnectedWorkers),
    };

    /// <summary>Always reported, as daprd does: port 0 without an app; health settings only while checks are on.</summary>
    private AppConnectionMetadata AppConnection()
    {
        var health = options.AppHealth;
        var isHttp = options.AppProtocol is "http" or "https" or "h2c";
        return new AppConnectionMetadata(
            options.AppPort ?? 0, options.AppProtocol, options.AppHost, options.AppMaxConcurrency ?? 0,
            health.Enabled
                ? new AppHealthMetadata(isHttp ? health.Path : null, GoDuration.Format(health.Interval), GoDuration.Format(health.Timeout), health.Threshold)
                : null);
    }

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
