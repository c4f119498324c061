using Sidecar.Components;
using Sidecar.Hosting;
using Sidecar.NameResolution;
using Sidecar.Tests.Infrastructure;

namespace Sidecar.Tests.NameResolution;

/// <summary><c>spec.nameResolution</c> of the Configuration: what is served, and a clear file:line for what is not.</summary>
public sealed class NameResolutionConfigurationTests : IDisposable
{
    private readonly ResourcesFolder _folder = new();

    private (NameResolutionSettings? Settings, string? Notice) Read(string? nameResolution, string? defaultRegistry = "/tmp/default-nr.db")
    {
        var config = Path.Combine(_folder.Path, "config.yaml");
        File.WriteAllText(config, $"""
            apiVersion: dapr.io/v1alpha1
            kind: Configuration
            metadata:
              name: daprConfig
            spec:
              tracing:
                samplingRate: "1"
            {nameResolution}
            """);
        var options = new SidecarOptions { AppId = "app", ConfigFile = config, NameRegistryFile = defaultRegistry };
        var settings = NameResolutionConfiguration.Read(options, ResourceLoader.Load(options), out var notice);
        return (settings, notice);
    }

    [Fact]
    public void NoNameResolution_UsesTheDefaultRegistry()
    {
        var (settings, notice) = Read(null);

        Assert.Equal("/tmp/default-nr.db", settings?.DatabaseFile);
        Assert.Equal(TimeSpan.FromSeconds(5), settings?.UpdateInterval);
        Assert.Null(notice);
    }

    [Fact]
    public void Sqlite_UsesItsConnectionStringAndTimings()
    {
        var (settings, _) = Read("""
              nameResolution:
                component: sqlite
                version: v1
                configuration:
                  connectionString: "file:/tmp/shared-nr.db?_pragma=busy_timeout(500)"
                  updateInterval: 3s
                  timeout: "1"
            """);

        Assert.Equal(new NameResolutionSettings("/tmp/shared-nr.db", TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(1)), settings);
    }

    [Fact]
    public void Mdns_IsServedByTheDefaultRegistry_AndSaysSo()
    {
        var (settings, notice) = Read("""
              nameResolution:
                component: mdns
            """);

        Assert.Equal("/tmp/default-nr.db", settings?.DatabaseFile);
        Assert.Contains("served by the SQLite registry /tmp/default-nr.db, not multicast DNS", notice, StringComparison.Ordinal);
    }

    [Fact]
    public void UnsupportedComponent_FailsWithFileAndLineOfTheComponent()
    {
        var error = Assert.Throws<ResourceLoadException>(() => Read("""
              nameResolution:
                component: consul
            """));

        Assert.Equal(
            $"{Path.Combine(_folder.Path, "config.yaml")}:9: nameResolution component 'consul' is not supported by the local sidecar (supported: mdns, sqlite)",
            error.Message);
    }

    [Fact]
    public void SqliteOptionWeDoNotServe_FailsWithFileAndLine()
    {
        var error = Assert.Throws<ResourceLoadException>(() => Read("""
              nameResolution:
                component: sqlite
                configuration:
                  connectionString: /tmp/x.db
                  tableName: hosts
            """));

        Assert.StartsWith($"{Path.Combine(_folder.Path, "config.yaml")}:12: nameResolution sqlite option 'tableName' is not supported", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("connectionString: \":memory:\"")]
    [InlineData("updateInterval: 5s")]
    public void SqliteWithoutAFile_Fails(string option)
    {
        var error = Assert.Throws<ResourceLoadException>(() => Read($"""
              nameResolution:
                component: sqlite
                configuration:
                  {option}
            """));

        Assert.Contains("nameResolution sqlite needs configuration.connectionString", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UpdateIntervalNotAboveTimeout_Fails()
    {
        var error = Assert.Throws<ResourceLoadException>(() => Read("""
              nameResolution:
                component: sqlite
                configuration:
                  connectionString: /tmp/x.db
                  updateInterval: 1s
            """));

        Assert.Contains("updateInterval must be whole seconds and at least 1s more than timeout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnsupportedNameResolution_FailsTheSidecarsStart()
    {
        var config = Path.Combine(_folder.Path, "config.yaml");
        File.WriteAllText(config, """
            apiVersion: dapr.io/v1alpha1
            kind: Configuration
            metadata:
              name: daprConfig
            spec:
              nameResolution:
                component: kubernetes
            """);

        var error = await Assert.ThrowsAsync<ResourceLoadException>(() =>
            TestSidecar.StartAsync("app", _folder.Path, o => o with { ConfigFile = config }));

        Assert.StartsWith($"{config}:7: nameResolution component 'kubernetes'", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Dispose();
}
