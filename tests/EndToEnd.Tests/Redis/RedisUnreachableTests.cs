using System.Text.RegularExpressions;
using EndToEnd.Tests.Infrastructure;

namespace EndToEnd.Tests.Redis;

/// <summary>
/// Without <c>--embedded</c> the repository's Redis components connect to Redis; when nothing answers at
/// <c>redisHost</c>, dapr-local (runner or single sidecar) exits 1 with one line naming the component's file, the
/// component and the host: no stack trace, nothing left running.
/// </summary>
public sealed class RedisUnreachableTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly TempRunFolder _folder = new();
    private readonly int _deadPort = FreePort.Next();
    private readonly RedisComponents _components;

    public RedisUnreachableTests()
    {
        _components = RedisComponents.For($"127.0.0.1:{_deadPort}");
    }

    [Fact]
    public async Task Run_WithRedisDown_ExitsOneWithOneLineNamingFileComponentAndHost()
    {
        _folder.WriteRunFile($"""
            version: 1
            apps:
              - appID: catalog
                appDirPath: .
                daprHTTPPort: {FreePort.Next()}
                daprGRPCPort: {FreePort.Next()}
            """);

        await using var runner = DaprLocal.Start(_folder.Path, "run", "-f", ".", "--resources-path", _components.Path);

        Assert.Equal(1, await runner.WaitForExitAsync(Timeout));
        var line = Assert.Single(runner.Stderr);
        Assert.Matches(Expected("dapr-local: app 'catalog': sidecar failed to start: "), line);
        Assert.DoesNotContain(runner.Stdout.Concat(runner.Stderr), IsStackFrame);
    }

    [Fact]
    public async Task SingleSidecar_WithRedisDown_ExitsOneWithOneLineNamingFileComponentAndHost()
    {
        await using var sidecar = DaprLocal.Start(
            _folder.Path, "--app-id", "catalog", "--dapr-http-port", $"{FreePort.Next()}", "--dapr-grpc-port", $"{FreePort.Next()}",
            "--resources-path", _components.Path);

        Assert.Equal(1, await sidecar.WaitForExitAsync(Timeout));
        var line = Assert.Single(sidecar.Stderr);
        Assert.Matches(Expected("dapr-local: sidecar 'catalog' failed to start: "), line);
        Assert.DoesNotContain(sidecar.Stdout.Concat(sidecar.Stderr), IsStackFrame);
    }

    /// <summary>A line of a .NET stack trace, prefixed by the runner or not.</summary>
    private static bool IsStackFrame(string line) =>
        line.Contains("   at ", StringComparison.Ordinal) || line.Contains("--- End of", StringComparison.Ordinal);

    /// <summary>Whichever Redis component of catalog connects first: its file:line, name, type and host.</summary>
    private Regex Expected(string prefix) => new(
        "^" + Regex.Escape(prefix) + Regex.Escape(_components.Path + "/") + @"(?<name>\w+)\.yaml:\d+: component '\k<name>' " +
        @"\((pubsub|state)\.redis\) cannot reach Redis at " + Regex.Escape($"127.0.0.1:{_deadPort}") + ": .+$");

    public void Dispose()
    {
        _components.Dispose();
        _folder.Dispose();
    }
}
