using Sidecar.Hosting;
using StackExchange.Redis;

namespace Sidecar.Components.Redis;

/// <summary>
/// One Redis connection per server and credentials for the whole run: the sidecars of a multi-app run, and the state
/// store and pub/sub of one sidecar, share it (StackExchange.Redis multiplexes). A server that cannot be reached fails
/// the start with one line naming the component's file, the component and the host.
/// </summary>
internal static class RedisConnections
{
    /// <summary>The shared connection for <paramref name="context"/>'s component, connected or failing now.</summary>
    public static IConnectionMultiplexer Connect(ComponentContext context, RedisSettings settings)
    {
        var network = context.Services.GetRequiredService<SidecarNetwork>();
        return network.GetOrAddShared(settings.ShareKey, () => Open(context.Definition, settings));
    }

    private static ConnectionMultiplexer Open(ComponentDefinition definition, RedisSettings settings)
    {
        try
        {
            return ConnectionMultiplexer.Connect(settings.ToOptions());
        }
        catch (RedisConnectionException ex)
        {
            throw new ResourceLoadException(
                $"{definition.Location}: component '{definition.Name}' ({definition.Type}) cannot reach Redis at {settings.Host}: " +
                FirstLine(ex.Message) + " (is redis-server running? or start with --embedded)", ex);
        }
    }

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();
}
