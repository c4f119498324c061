using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Sidecar.Components;
using Sidecar.Tests.Infrastructure;

namespace Sidecar.Tests.Components.State;

/// <summary>
/// <c>state.sqlite</c> configured as Dapr documents it, read as components-contrib reads it
/// (<c>state/sqlite/sqlite_metadata.go</c>, <c>common/authentication/sqlite/metadata.go</c>): the connection string
/// forms <c>data.db</c>, <c>file:data.db?...</c> and <c>file::memory:</c>, and <c>tableName</c>, <c>timeout</c>,
/// <c>busyTimeout</c>, <c>cleanupInterval</c>.
/// </summary>
public sealed class SqliteMetadataConformanceTests : IDisposable
{
    private readonly string _appDir = Directory.CreateTempSubdirectory("sqlite-conform-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_appDir, recursive: true);
    }

    private static ResourcesFolder Store(params (string Name, string Value)[] metadata) => new(("statestore.yaml", $"""
        apiVersion: dapr.io/v1alpha1
        kind: Component
        metadata:
          name: statestore
        spec:
          type: state.sqlite
          version: v1
          metadata:
        {string.Concat(metadata.Select(m => $"    - name: {m.Name}\n      value: \"{m.Value}\"\n"))}
        """));

    private Task<TestSidecar> StartAsync(ResourcesFolder resources, Action<IServiceCollection>? services = null) =>
        TestSidecar.StartAsync($"sqlite-{Guid.NewGuid():N}", resources.Path, o => o with { WorkingDirectory = _appDir }, configureServices: services);

    private static long Count(string file, string table)
    {
        using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM \"{table}\"";
        return (long)command.ExecuteScalar()!;
    }

    [Fact]
    public async Task ConnectionString_PlainFileName_IsAFileInTheAppsFolder()
    {
        using var resources = Store(("connectionString", "data.db"));
        await using (var sidecar = await StartAsync(resources))
        {
            await sidecar.Client.SaveStateAsync("statestore", "k", "v");
            Assert.Equal("v", await sidecar.Client.GetStateAsync<string>("statestore", "k"));
        }

        Assert.Equal(1, Count(Path.Combine(_appDir, "data.db"), "state"));
    }

    [Fact]
    public async Task ConnectionString_FileUriWithOptionsAndTableName_UsesThatFileAndTable()
    {
        using var resources = Store(("connectionString", "file:sub/data.db?cache=shared&_txlock=immediate&_pragma=synchronous(FULL)"), ("tableName", "orders_state"));
        Directory.CreateDirectory(Path.Combine(_appDir, "sub"));
        await using (var sidecar = await StartAsync(resources))
        {
            await sidecar.Client.SaveStateAsync("statestore", "k", "v");
        }

        Assert.Equal(1, Count(Path.Combine(_appDir, "sub", "data.db"), "orders_state"));
    }

    [Fact]
    public async Task ConnectionString_FileMemory_KeepsStateForTheSidecarsLifetime_AndIsNotSharedWithAnotherSidecar()
    {
        using var resources = Store(("connectionString", "file::memory:"));
        await using var first = await StartAsync(resources);
        await using var second = await StartAsync(resources);

        await first.Client.SaveStateAsync("statestore", "k", "first's");
        await Task.Delay(50);

        Assert.Equal("first's", await first.Client.GetStateAsync<string>("statestore", "k"));
        Assert.Null(await second.Client.GetStateAsync<string>("statestore", "k"));
        Assert.Empty(Directory.GetFiles(_appDir));
    }

    [Fact]
    public async Task ConnectionString_ModeRo_ReadsButRefusesWrites()
    {
        using (var writable = Store(("connectionString", "ro.db")))
        {
            await using var sidecar = await TestSidecar.StartAsync("ro-app", writable.Path, o => o with { WorkingDirectory = _appDir });
            await sidecar.Client.SaveStateAsync("statestore", "k", "kept");
        }

        using var resources = Store(("connectionString", "file:ro.db?mode=ro"));
        await using var readOnly = await TestSidecar.StartAsync("ro-app", resources.Path, o => o with { WorkingDirectory = _appDir });

        Assert.Equal("kept", await readOnly.Client.GetStateAsync<string>("statestore", "k"));
        await Assert.ThrowsAsync<Dapr.DaprException>(() => readOnly.Client.SaveStateAsync("statestore", "k", "changed"));
    }

    [Theory]
    [InlineData("connectionString", "file:data.db?_pragma=busy_timeout(100)", "forbidden option '_pragma=busy_timeout'")]
    [InlineData("connectionString", "file:data.db?_pragma=journal_mode(WAL)", "forbidden option '_pragma=journal_mode'")]
    [InlineData("connectionString", "file:data.db?nolock=1", "unsupported option 'nolock'")]
    [InlineData("timeout", "500ms", "invalid value for 'timeout': must be greater than 1s")]
    [InlineData("busyTimeout", "soon", "'busyTimeout' must be a duration")]
    [InlineData("cleanupInterval", "often", "'cleanupInterval' must be a duration")]
    [InlineData("tableName", "state;drop", "invalid identifier in 'tableName'")]
    public async Task WrongMetadata_FailsTheStartNamingIt(string name, string value, string expected)
    {
        (string, string)[] metadata = name == "connectionString" ? [(name, value)] : [("connectionString", "data.db"), (name, value)];
        using var resources = Store(metadata);

        var error = await Assert.ThrowsAsync<ResourceLoadException>(() => StartAsync(resources));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("statestore.yaml", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Durations_TakeGoDurationsAndWholeSeconds()
    {
        using var resources = Store(("connectionString", "data.db"), ("timeout", "30"), ("busyTimeout", "1500ms"), ("cleanupInterval", "1m"));
        await using var sidecar = await StartAsync(resources);

        await sidecar.Client.SaveStateAsync("statestore", "k", "v");

        Assert.Equal("v", await sidecar.Client.GetStateAsync<string>("statestore", "k"));
    }

    [Fact]
    public async Task CleanupInterval_DeletesExpiredRowsOnItsSchedule()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var resources = Store(("connectionString", "clean.db"), ("cleanupInterval", "10s"));
        await using var sidecar = await StartAsync(resources, s => s.AddSingleton<TimeProvider>(time));
        await sidecar.Client.SaveStateAsync("statestore", "short", "v", metadata: new Dictionary<string, string> { ["ttlInSeconds"] = "5" });
        await sidecar.Client.SaveStateAsync("statestore", "long", "v");
        var file = Path.Combine(_appDir, "clean.db");

        time.Advance(TimeSpan.FromSeconds(11));

        for (var i = 0; i < 100 && Count(file, "state") != 1; i++)
        {
            await Task.Delay(20);
        }

        Assert.Equal(1, Count(file, "state"));
    }
}
