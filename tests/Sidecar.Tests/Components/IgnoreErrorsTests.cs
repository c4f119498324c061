using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sidecar.Components;
using Sidecar.Tests.Infrastructure;
using Sidecar.Tests.Secrets;

namespace Sidecar.Tests.Components;

/// <summary>
/// A component the sidecar cannot serve fails the start, as daprd fails on a component that does not initialise,
/// unless its <c>spec.ignoreErrors</c> is true: then one warning naming file and type, and the sidecar goes on.
/// </summary>
public sealed class IgnoreErrorsTests
{
    private static (string, string) Binding(bool? ignoreErrors) => ("kafka.yaml", $"""
        apiVersion: dapr.io/v1alpha1
        kind: Component
        metadata:
          name: orders-topic
        spec:
          type: bindings.kafka
          version: v1
          {(ignoreErrors is { } ignore ? $"ignoreErrors: {(ignore ? "true" : "false")}" : "")}
          metadata:
            - name: brokers
              value: localhost:9092
        """);

    [Fact]
    public async Task UnservedCategory_FailsTheStartNamingFileAndType()
    {
        using var folder = new ResourcesFolder(Binding(ignoreErrors: null));

        var ex = await Assert.ThrowsAsync<ResourceLoadException>(() => TestSidecar.StartAsync("app", folder.Path));

        Assert.StartsWith(
            $"{Path.Combine(folder.Path, "kafka.yaml")}: component 'orders-topic' has type 'bindings.kafka', which the local sidecar cannot serve (types served: ",
            ex.Message);
        Assert.Contains("secretstores.local.file", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IgnoreErrorsFalse_StillFails()
    {
        using var folder = new ResourcesFolder(Binding(ignoreErrors: false));

        await Assert.ThrowsAsync<ResourceLoadException>(() => TestSidecar.StartAsync("app", folder.Path));
    }

    [Fact]
    public async Task IgnoreErrorsTrue_WarnsOnceNamingFileAndType_AndServesTheRest()
    {
        using var folder = new ResourcesFolder(Binding(ignoreErrors: true), SecretResources.EnvStore("envsecrets", "NOTHING_"));
        var logs = new CapturedLogs();
        await using var sidecar = await TestSidecar.StartAsync("app", folder.Path,
            configureServices: s => s.AddSingleton<ILoggerProvider>(logs));

        var metadata = await sidecar.Client.GetMetadataAsync();

        Assert.DoesNotContain(metadata.Components, c => c.Name == "orders-topic");
        Assert.Contains(metadata.Components, c => c.Name == "envsecrets");
        var warning = Assert.Single(logs.Lines, l => l.Level == LogLevel.Warning && l.Text.Contains("orders-topic", StringComparison.Ordinal));
        Assert.Equal(
            $"{Path.Combine(folder.Path, "kafka.yaml")}: component 'orders-topic' has type 'bindings.kafka', which the local sidecar cannot serve",
            warning.Text[..warning.Text.IndexOf(" (types served", StringComparison.Ordinal)]);
        Assert.EndsWith("; skipped because of spec.ignoreErrors: true", warning.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IgnoreErrorsTrue_AlsoCoversAComponentThatFailsToStart()
    {
        using var folder = new ResourcesFolder(
            ("store.yaml", """
                apiVersion: dapr.io/v1alpha1
                kind: Component
                metadata:
                  name: localsecrets
                spec:
                  type: secretstores.local.file
                  version: v1
                  ignoreErrors: true
                  metadata:
                    - name: secretsFile
                      value: /nonexistent/secrets.json
                """));
        await using var sidecar = await TestSidecar.StartAsync("app", folder.Path);

        var ex = await Assert.ThrowsAsync<Dapr.DaprException>(() => sidecar.Client.GetSecretAsync("localsecrets", "k"));

        Assert.Equal(Grpc.Core.StatusCode.FailedPrecondition, Assert.IsType<Grpc.Core.RpcException>(ex.InnerException).StatusCode);
    }
}
