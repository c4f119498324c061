using Dapr.Client;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;

namespace ServiceDefaults;

/// <summary>
/// The <see cref="DaprClient"/> of every service (registered by <c>AddServiceDefaults</c>), able to carry a burst of
/// concurrent calls to its sidecar.
/// </summary>
public static class DaprClientDefaults
{
    /// <summary>
    /// Registers the <see cref="DaprClient"/> with a gRPC channel that opens another HTTP/2 connection when one is full.
    /// A server allows a connection about 100 concurrent streams (Kestrel's default), and a single connection queued
    /// every call past that in the client: 1000 concurrent requests, each a few state calls, waited in that line. Below
    /// 100 concurrent calls nothing changes; every service that calls its sidecar can meet such a burst (payments' charges,
    /// catalog's reservations, orders' starts, notifications' events), so all of them use this one client.
    /// </summary>
    public static IServiceCollection AddServiceDaprClient(this IServiceCollection services)
    {
        services.AddDaprClient(client => client.UseGrpcChannelOptions(new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                EnableMultipleHttp2Connections = true,
                PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            },
            DisposeHttpClient = true,
        }));
        return services;
    }
}
