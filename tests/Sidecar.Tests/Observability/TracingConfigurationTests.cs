using Sidecar.Components;
using Sidecar.Hosting;
using Sidecar.Observability;
using Sidecar.Tests.Infrastructure;

namespace Sidecar.Tests.Observability;

/// <summary>
/// <c>spec.tracing</c> of the Configuration daprd applies (the <c>--config</c> file's): what is read, and a clear
/// file:line for what daprd would reject.
/// </summary>
public sealed class TracingConfigurationTests : IDisposable
{
    private readonly ResourcesFolder _folder = new();

    private string ConfigFile => Path.Combine(_folder.Path, "config.yaml");

    private TracingSettings Read(string tracing, string? resourcesPath = null)
    {
        File.WriteAllText(ConfigFile, $"""
            apiVersion: dapr.io/v1alpha1
            kind: Configuration
            metadata:
              name: daprConfig
            spec:
            {tracing}
            """);
        var options = resourcesPath is null
            ? new SidecarOptions { AppId = "app", ConfigFile = ConfigFile }
            : new SidecarOptions { AppId = "app", ResourcesPaths = [resourcesPath] };
        return TracingConfiguration.Read(ResourceLoader.Load(options), options);
    }

    [Fact]
    public void Otel_ReadsRateEndpointProtocolAndSecurity()
    {
        var settings = Read("""
              tracing:
                samplingRate: "0.5"
                otel:
                  endpointAddress: "collector:4317"
                  isSecure: true
                  protocol: grpc
            """);

        Assert.Equal(0.5, settings.SamplingRate);
        Assert.Equal(("grpc", true), (settings.OtelProtocol, settings.Enabled));
        // daprd takes host:port and adds the scheme from isSecure.
        Assert.Equal(new Uri("https://collector:4317"), settings.OtelUri);
        Assert.Null(settings.ZipkinEndpoint);
    }

    [Fact]
    public void Zipkin_ReadsItsEndpoint_AndOtelDefaultsToHttp()
    {
        var settings = Read("""
              tracing:
                samplingRate: "1"
                zipkin:
                  endpointAddress: "http://localhost:9411/api/v2/spans"
            """);

        Assert.Equal("http://localhost:9411/api/v2/spans", settings.ZipkinEndpoint);
        Assert.Equal(("http", true, null), (settings.OtelProtocol, settings.Enabled, settings.OtelUri));
    }

    [Fact]
    public void RateZero_OrNoExporter_RecordsNothing()
    {
        Assert.False(Read("""
              tracing:
                samplingRate: "0"
                otel:
                  endpointAddress: "localhost:4318"
            """).Enabled);
        Assert.False(Read("""
              tracing:
                samplingRate: "1"
            """).Enabled);
    }

    [Fact]
    public void AConfigurationInAResourcesFolder_IsNotApplied()
    {
        // daprd applies only the --config file's Configuration; one lying among the components is not read.
        var settings = Read("""
              tracing:
                samplingRate: "1"
                otel:
                  endpointAddress: "localhost:4318"
            """, resourcesPath: _folder.Path);

        Assert.Same(TracingSettings.Off, settings);
    }

    [Fact]
    public void RateOutOfRange_FailsWithFileAndLine()
    {
        var error = Assert.Throws<ResourceLoadException>(() => Read("""
              tracing:
                samplingRate: "2"
            """));

        Assert.Equal($"{ConfigFile}:7: spec.tracing.samplingRate '2' is not a number between 0 and 1", error.Message);
    }

    [Fact]
    public void UnknownProtocol_FailsWithFileAndLine()
    {
        var error = Assert.Throws<ResourceLoadException>(() => Read("""
              tracing:
                samplingRate: "1"
                otel:
                  endpointAddress: "localhost:4317"
                  protocol: thrift
            """));

        Assert.Equal($"{ConfigFile}:10: spec.tracing.otel.protocol 'thrift' is not one of http, grpc", error.Message);
    }

    public void Dispose() => _folder.Dispose();
}
