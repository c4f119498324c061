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

    [Fact]
    public async Task AnUnservedVersion_FailsTheStartLikeAnUnknownType_UnlessIgnoreErrors()
    {
        const string Cron = """
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: ticker
            spec:
              type: bindings.cron
              version: v2
              {0}
              metadata:
                - name: schedule
                  value: "@hourly"
            """;
        using var failing = new ResourcesFolder(("cron.yaml", Cron.Replace("{0}", "", StringComparison.Ordinal)));
        using var ignored = new ResourcesFolder(("cron.yaml", Cron.Replace("{0}", "ignoreErrors: true", StringComparison.Ordinal)));

        var ex = await Assert.ThrowsAsync<ResourceLoadException>(() => TestSidecar.StartAsync("app", failing.Path));
        await using var sidecar = await TestSidecar.StartAsync("app", ignored.Path);

        Assert.Equal(
            $"{Path.Combine(failing.Path, "cron.yaml")}: component 'ticker' has type 'bindings.cron' version 'v2', which the local sidecar cannot serve (versions served: v1)",
            ex.Message);
        Assert.DoesNotContain((await sidecar.Client.GetMetadataAsync()).Components, c => c.Name == "ticker");
    }

    [Theory]
    [InlineData("conversation.openai")]
    [InlineData("middleware.http.uppercase")]
    [InlineData("crypto.dapr.localstorage")]
    public async Task EveryOtherUnservedCategory_FailsTheStartInOneLine(string type)
    {
        using var folder = new ResourcesFolder(("other.yaml", $"""
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: other
            spec:
              type: {type}
              version: v1
            """));

        var ex = await Assert.ThrowsAsync<ResourceLoadException>(() => TestSidecar.StartAsync("app", folder.Path, o => o with { Embedded = true }));

        Assert.StartsWith($"{Path.Combine(folder.Path, "other.yaml")}: component 'other' has type '{type}', which the local sidecar cannot serve", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    /// <summary>Keeps every log line written by the sidecar.</summary>
    private sealed class CapturedLogs : ILoggerProvider
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<(LogLevel Level, string Text)> _lines = new();

        public IReadOnlyList<(LogLevel Level, string Text)> Lines => [.. _lines];

        public ILogger CreateLogger(string categoryName) => new Logger(_lines);

        public void Dispose()
        {
        }

        private sealed class Logger(System.Collections.Concurrent.ConcurrentQueue<(LogLevel, string)> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue((logLevel, formatter(state, exception)));
        }
    }
}
