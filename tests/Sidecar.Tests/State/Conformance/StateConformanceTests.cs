using System.Globalization;
using Dapr;
using Dapr.Client;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Sidecar.Components;
using Sidecar.Components.State;
using Sidecar.Tests.Infrastructure;

namespace Sidecar.Tests.State.Conformance;

/// <summary>
/// The state API as the real <see cref="DaprClient"/> uses it (gRPC) against a real sidecar, written once and run
/// unchanged against every state store type. Rules that a store keeps differently from the others (Redis does not roll
/// transactions back, for one) are tested in that store's class, under a name that says so. This file is the harness;
/// the rules are in the partial files by topic (reads and writes, transactions, TTL and keys).
/// </summary>
public abstract partial class StateConformanceTests : IAsyncLifetime
{
    protected const string Store = "statestore";
    protected const string AppId = "state-app";
    private readonly List<IAsyncDisposable> _started = [];
    private readonly List<ResourcesFolder> _folders = [];

    protected TestSidecar Sidecar { get; private set; } = null!;

    protected DaprClient Client => Sidecar.Client;

    /// <summary>A resources folder with a store named <see cref="Store"/> of the type under test.</summary>
    protected abstract ResourcesFolder CreateResources(string? keyPrefix = null, IReadOnlyDictionary<string, string>? metadata = null);

    /// <summary>Lets <paramref name="duration"/> pass for the store's clock (a fake clock advanced, or real time waited).</summary>
    protected abstract Task PassTimeAsync(TimeSpan duration);

    /// <summary>Services to replace in every sidecar of the test (e.g. a fake clock).</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    public virtual async Task InitializeAsync() => Sidecar = await StartAsync(AppId, Folder());

    public virtual async Task DisposeAsync()
    {
        foreach (var started in Enumerable.Reverse(_started))
        {
            await started.DisposeAsync();
        }

        foreach (var folder in _folders)
        {
            folder.Dispose();
        }
    }

    /// <summary>A resources folder for this test, deleted with it.</summary>
    protected ResourcesFolder Folder(string? keyPrefix = null, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var folder = CreateResources(keyPrefix, metadata);
        _folders.Add(folder);
        return folder;
    }

    /// <summary>Another sidecar over <paramref name="resources"/>, stopped with the test.</summary>
    protected async Task<TestSidecar> StartAsync(string appId, ResourcesFolder resources)
    {
        var sidecar = await TestSidecar.StartAsync(appId, resources.Path, configureServices: ConfigureServices);
        _started.Add(sidecar);
        return sidecar;
    }

    protected static string NewKey() => "key-" + Guid.NewGuid().ToString("N");

    protected static StatusCode StatusOf(DaprException ex) => Assert.IsType<RpcException>(ex.InnerException).StatusCode;

    protected static byte[] Serialize(Widget widget) =>
        System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(widget, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web));

    protected static readonly StateOptions FirstWrite = new() { Concurrency = ConcurrencyMode.FirstWrite };

    /// <summary>The store behind <paramref name="sidecar"/>'s <see cref="Store"/>, read below the key prefixing.</summary>
    protected static IStateStore RawStore(TestSidecar sidecar) =>
        (IStateStore)sidecar.Host.Services.GetRequiredService<IStateStoreRegistry>().FindStateStore(Store)!.Instance;

    /// <summary>The <c>ttlExpireTime</c> the HTTP API reports for <paramref name="key"/>, or null.</summary>
    protected async Task<DateTimeOffset?> TtlExpireTimeAsync(string key)
    {
        using var http = new HttpClient { BaseAddress = new Uri(Sidecar.HttpEndpoint) };
        using var response = await http.GetAsync($"/v1.0/state/{Store}/{key}");
        return response.Headers.TryGetValues("metadata.ttlExpireTime", out var values)
            ? DateTimeOffset.Parse(values.Single(), CultureInfo.InvariantCulture)
            : null;
    }

    protected sealed record Widget(string Color, int Size);
}
