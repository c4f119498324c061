using System.Diagnostics.CodeAnalysis;
using Sidecar.Components.Configuration;
using Sidecar.Components.Locks;
using Sidecar.Components.State;
using Sidecar.Hosting;

namespace Sidecar.Components;

/// <summary>
/// <c>--embedded</c>: every state store is served by one SQLite file under <see cref="SidecarOptions.DataDirectory"/> and
/// each pub/sub by a broker of type <see cref="PubSubType"/> per component name (each lock store by table <c>locks</c> of
/// that file, per component name), all shared by all apps of the run through
/// <see cref="SidecarNetwork.GetOrAddShared{T}"/> (key prefixes keep the apps' state apart). Two pub/sub components are
/// two brokers, as two real brokers would be, while apps that name the same component meet on one. The definition, with its
/// metadata such as <c>actorStateStore</c> and <c>keyPrefix</c>, is kept as written.
/// </summary>
internal sealed class EmbeddedComponents(
    SidecarOptions options, SidecarNetwork network, IReadOnlyDictionary<string, ComponentFactory> factories, IServiceProvider services)
{
    /// <summary>The state store type that serves every state store.</summary>
    public const string StateType = SqliteStateStoreFactory.Type;

    /// <summary>The broker type that serves every pub/sub; its factory is registered by the pub/sub components.</summary>
    public const string PubSubType = "pubsub.in-memory";

    /// <summary>The shared-instance key of the embedded broker that serves pub/sub component <paramref name="name"/>.</summary>
    public static string PubSubSharedKey(string name) => "embedded-pubsub:" + name;

    /// <summary>The embedded state database file for <paramref name="dataDirectory"/>.</summary>
    public static string StateDatabaseFile(string dataDirectory) => Path.Combine(dataDirectory, "state.db");

    public bool TrySubstitute(ComponentDefinition definition, [NotNullWhen(true)] out RegisteredComponent? substitute)
    {
        substitute = definition.Category switch
        {
            "state" => SubstituteState(definition),
            "pubsub" => SubstitutePubSub(definition),
            "configuration" => SubstituteConfiguration(definition),
            "lock" => SubstituteLock(definition),
            _ => null,
        };
        return substitute is not null;
    }

    private RegisteredComponent SubstituteState(ComponentDefinition definition)
    {
        var file = StateDatabaseFile(options.DataDirectory);
        var fullPath = Path.GetFullPath(file);
        var factory = Factory(StateType, definition);
        var store = network.GetOrAddShared("embedded-state:" + fullPath, () =>
        {
            Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
            var shared = definition with
            {
                Type = StateType,
                Metadata = new Dictionary<string, string>(StringComparer.Ordinal) { [SqliteStateStoreFactory.DatabaseFile] = fullPath },
            };
            return factory.Create(new ComponentContext(shared, services));
        });
        return new RegisteredComponent(definition, store, ComponentStore.CapabilitiesOf(definition, store), $"embedded SQLite {file}");
    }

    private RegisteredComponent SubstitutePubSub(ComponentDefinition definition)
    {
        var factory = Factory(PubSubType, definition);
        var broker = network.GetOrAddShared(PubSubSharedKey(definition.Name), () =>
            factory.Create(new ComponentContext(definition with { Type = PubSubType }, services)));
        return new RegisteredComponent(definition, broker, [], "embedded broker");
    }

    /// <summary>A configuration store over table <c>configuration_items</c> of the state file, one per component name.</summary>
    private RegisteredComponent SubstituteConfiguration(ComponentDefinition definition)
    {
        var file = StateDatabaseFile(options.DataDirectory);
        var fullPath = Path.GetFullPath(file);
        var store = network.GetOrAddShared($"embedded-configuration:{fullPath}|{definition.Name}", () =>
        {
            Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
            return new EmbeddedConfigurationStore(
                new SqliteConfigurationTable(fullPath), definition.Name, services.GetRequiredService<TimeProvider>(),
                services.GetRequiredService<ILogger<EmbeddedConfigurationStore>>());
        });
        return new RegisteredComponent(definition, store, [], $"embedded SQLite {file}");
    }

    /// <summary>A lock store per component name over table <c>locks</c> of the state file; the key prefix rule keeps the apps' locks apart as on Redis.</summary>
    private RegisteredComponent SubstituteLock(ComponentDefinition definition)
    {
        var file = StateDatabaseFile(options.DataDirectory);
        var fullPath = Path.GetFullPath(file);
        var store = network.GetOrAddShared($"embedded-lock:{fullPath}|{definition.Name}", () =>
        {
            Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
            return new EmbeddedLockStore(new SqliteLockTable(fullPath), definition.Name, services.GetRequiredService<TimeProvider>());
        });
        return new RegisteredComponent(definition, store, [], $"embedded SQLite {file}");
    }

    private ComponentFactory Factory(string type, ComponentDefinition definition) =>
        factories.TryGetValue(type, out var factory)
            ? factory
            : throw new ResourceLoadException(
                $"{definition.SourceFile}: component '{definition.Name}' cannot be embedded: no '{type}' component is built in");
}
