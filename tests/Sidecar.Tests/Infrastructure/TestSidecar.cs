using Dapr.Client;
using Microsoft.Extensions.DependencyInjection;
using Sidecar.Hosting;

namespace Sidecar.Tests.Infrastructure;

/// <summary>
/// A real sidecar on free loopback ports with a real <see cref="DaprClient"/> pointed at it, as an app would use it.
/// </summary>
public sealed class TestSidecar : IAsyncDisposable
{
    private readonly SidecarNetwork? _ownedNetwork;

    private TestSidecar(SidecarHost host, DaprClient client, SidecarNetwork? ownedNetwork)
    {
        Host = host;
        Client = client;
        _ownedNetwork = ownedNetwork;
    }

    public SidecarHost Host { get; }

    public DaprClient Client { get; }

    public SidecarOptions Options => Host.Options;

    public string HttpEndpoint => $"http://127.0.0.1:{Options.HttpPort}";

    public string GrpcEndpoint => $"http://127.0.0.1:{Options.GrpcPort}";

    /// <summary>
    /// Starts a sidecar for <paramref name="appId"/>; pass a <paramref name="network"/> to join other sidecars and
    /// <paramref name="configureServices"/> to replace services (e.g. a fake <see cref="TimeProvider"/>).
    /// </summary>
    public static async Task<TestSidecar> StartAsync(
        string appId, string resourcesPath, Func<SidecarOptions, SidecarOptions>? configure = null,
        SidecarNetwork? network = null, string? apiToken = null, Action<IServiceCollection>? configureServices = null)
    {
        var ownedNetwork = network is null ? new SidecarNetwork() : null;
        SidecarOptions options;
        SidecarHost host;
        for (var attempt = 1; ; attempt++)
        {
            options = new SidecarOptions
            {
                AppId = appId,
                HttpPort = FreePort.Next(),
                GrpcPort = FreePort.Next(),
                ResourcesPaths = [resourcesPath],
                DataDirectory = Path.Combine(resourcesPath, ".dapr"),
            };
            options = configure?.Invoke(options) ?? options;

            try
            {
                host = await SidecarHost.StartAsync(options, network ?? ownedNetwork!, configureServices: configureServices);
                break;
            }
            catch (IOException ex) when (attempt < 3 && ex.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                // A free port can be taken by a parallel test between picking and binding it: pick again.
            }
            catch
            {
                if (ownedNetwork is not null)
                {
                    await ownedNetwork.DisposeAsync();
                }

                throw;
            }
        }

        var client = new DaprClientBuilder()
            .UseHttpEndpoint($"http://127.0.0.1:{options.HttpPort}")
            .UseGrpcEndpoint($"http://127.0.0.1:{options.GrpcPort}")
            .UseDaprApiToken(apiToken ?? options.ApiToken)
            .Build();
        return new TestSidecar(host, client, ownedNetwork);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Host.DisposeAsync();
        if (_ownedNetwork is not null)
        {
            await _ownedNetwork.DisposeAsync();
        }
    }
}
