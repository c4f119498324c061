using StackExchange.Redis;

namespace Sidecar.Tests.PubSub.Brokers;

/// <summary>
/// <c>pubsub.redis</c> on a real redis-server started for the test class (an xunit class fixture) and stopped with it.
/// </summary>
public sealed class RedisBroker : Broker, IAsyncLifetime
{
    private RedisServer? _server;
    private ConnectionMultiplexer? _connection;

    public RedisServer Server => _server ?? throw new InvalidOperationException("the Redis server is not started");

    /// <summary>A connection of the test's own, to look at the streams as another client would.</summary>
    public IDatabase Database => (_connection ?? throw new InvalidOperationException("not connected")).GetDatabase();

    public override (string File, string Yaml) Component(IReadOnlyDictionary<string, string>? metadata = null) => ("pubsub.yaml", $"""
        apiVersion: dapr.io/v1alpha1
        kind: Component
        metadata:
          name: pubsub
        spec:
          type: pubsub.redis
          version: v1
          metadata:
            - name: redisHost
              value: "{Server.Host}"{MetadataYaml(metadata ?? new Dictionary<string, string>())}
        """);

    public async Task InitializeAsync()
    {
        _server = await RedisServer.StartAsync();
        _connection = await ConnectionMultiplexer.ConnectAsync(Server.Host);
    }

    public async Task DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
