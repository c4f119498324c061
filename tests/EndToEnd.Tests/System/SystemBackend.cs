using EndToEnd.Tests.Infrastructure;

namespace EndToEnd.Tests.WholeSystem;

/// <summary>
/// What serves the components of the repository's <c>dapr.yaml</c> during a whole-system run: the built-in SQLite store
/// and broker (<c>--embedded</c>), or a real redis-server with <c>components/</c> as they are but for <c>redisHost</c>.
/// The whole-system tests run once on each.
/// </summary>
public abstract class SystemBackend
{
    public static readonly SystemBackend Embedded = new EmbeddedBackend();
    public static readonly SystemBackend Redis = new RedisBackend();

    /// <summary>Fresh data for one or more runs (a run restarted on the same data finds what the first one left).</summary>
    public abstract Task<SystemData> NewDataAsync();

    private sealed class EmbeddedBackend : SystemBackend
    {
        public override Task<SystemData> NewDataAsync()
        {
            var folder = new TempRunFolder();
            return Task.FromResult(new SystemData(["--embedded", "--data-dir", folder.Path], [folder]));
        }

        public override string ToString() => "embedded";
    }

    private sealed class RedisBackend : SystemBackend
    {
        public override async Task<SystemData> NewDataAsync()
        {
            var server = await RedisServer.StartAsync();
            var components = RedisComponents.For(server.Host);
            var folder = new TempRunFolder();
            return new SystemData(["--resources-path", components.Path, "--data-dir", folder.Path], [server, components, folder]);
        }

        public override string ToString() => "Redis";
    }
}

/// <summary>The runner arguments that point a run at its data, and what to release when the data is no longer needed.</summary>
public sealed class SystemData(IReadOnlyList<string> runnerArguments, IReadOnlyList<object> owned) : IAsyncDisposable
{
    public IReadOnlyList<string> RunnerArguments { get; } = runnerArguments;

    public async ValueTask DisposeAsync()
    {
        foreach (var item in owned.Reverse())
        {
            switch (item)
            {
                case IAsyncDisposable asyncDisposable: await asyncDisposable.DisposeAsync(); break;
                case IDisposable disposable: disposable.Dispose(); break;
            }
        }
    }
}
