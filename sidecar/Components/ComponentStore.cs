using System.Diagnostics.CodeAnalysis;
using Sidecar.Components.Bindings;
using Sidecar.Components.Configuration;
using Sidecar.Components.Locks;
using Sidecar.Components.PubSub;
using Sidecar.Components.SecretStores;
using Sidecar.Components.State;
using Sidecar.Hosting;

namespace Sidecar.Components;

/// <summary>
/// The live components of one app, created from its <see cref="ResourceSet"/> by the factory of each type. Creation
/// happens at start (see <see cref="ComponentsStartup"/>) so a component that cannot be served fails the start.
/// Embedded substitutes are shared by the run and owned by the <see cref="SidecarNetwork"/>; the rest are disposed here.
/// Secret stores come first, so the <c>secretKeyRef</c> metadata of the others is resolved before they are created.
/// A component that cannot start fails the start, unless its <c>spec.ignoreErrors</c> is true (then one warning).
/// </summary>
internal sealed partial class ComponentStore
    : IStateStoreRegistry, IPubSubRegistry, ISecretStoreRegistry, IBindingRegistry, IConfigurationStoreRegistry,
      ILockStoreRegistry, IComponentRegistry, IAsyncDisposable
{
    private const string SecretStoreCategory = "secretstores";

    private readonly Dictionary<string, RegisteredComponent> _stateStores = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RegisteredComponent> _pubSubs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ISecretStore> _secretStores = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IOutputBinding> _outputBindings = new(StringComparer.Ordinal);
    private readonly List<InputBindingEntry> _inputBindings = [];
    private readonly Dictionary<string, IConfigurationStore> _configurationStores = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (ILockStore Store, LockKeyPrefix KeyPrefix)> _lockStores = new(StringComparer.Ordinal);
    private readonly List<object> _owned = [];

    public ComponentStore(
        ResourceSet resources, IEnumerable<ComponentFactory> factories, SidecarOptions options, SidecarNetwork network,
        IServiceProvider services, ILogger<ComponentStore> logger)
    {
        var byType = factories.GroupBy(f => f.Type, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
        var embedded = new EmbeddedComponents(options, network, byType, services);
        var components = new List<RegisteredComponent>();
        try
        {
            // OrderBy is stable: within each group the files keep their order.
            foreach (var definition in resources.Components.OrderBy(d => d.Category == SecretStoreCategory ? 0 : 1))
            {
                RegisteredComponent registered;
                try
                {
                    RejectUnservedVersion(definition);
                    registered = options.Embedded && embedded.TrySubstitute(definition, out var substitute)
                        ? substitute
                        : Create(definition, byType, services);
                    if (registered.Instance is ILockStore lockStore)
                    {
                        // daprd saves the key prefix rule after init: a malformed one fails the component.
                        _lockStores[definition.Name] = (lockStore, LockKeyPrefix.From(definition));
                    }
                }
                catch (ResourceLoadException ex) when (definition.IgnoreErrors)
                {
                    LogIgnored(logger, ex.Message);
                    continue;
                }

                if (registered.SubstitutedBy is { } by)
                {
                    LogSubstituted(logger, definition.Name, definition.Type, by);
                }

                components.Add(registered);
                switch (registered.Instance)
                {
                    case IStateStore:
                        _stateStores[definition.Name] = registered;
                        break;
                    case IPubSub:
                        _pubSubs[definition.Name] = registered;
                        break;
                    case ISecretStore secretStore:
                        _secretStores[definition.Name] = secretStore;
                        break;
                    case IConfigurationStore configurationStore:
                        _configurationStores[definition.Name] = configurationStore;
                        break;
                }

                AddBinding(definition, registered.Instance);
            }
        }
        catch
        {
            DisposeOwned();
            throw;
        }

        Components = components;
        ActorStateStore = _stateStores.Values.FirstOrDefault(c => c.Definition.IsTrue(StateMetadata.ActorStateStore));
    }

    public IReadOnlyList<RegisteredComponent> Components { get; }

    public RegisteredComponent? ActorStateStore { get; }

    public IReadOnlyCollection<string> StateStoreNames => _stateStores.Keys;

    public IReadOnlyCollection<string> PubSubNames => _pubSubs.Keys;

    public IReadOnlyCollection<string> SecretStoreNames => _secretStores.Keys;

    public IReadOnlyCollection<string> ConfigurationStoreNames => _configurationStores.Keys;

    public IReadOnlyCollection<string> LockStoreNames => _lockStores.Keys;

    public bool TryGetLockStore(
        string name, [NotNullWhen(true)] out ILockStore? store, [NotNullWhen(true)] out LockKeyPrefix? keyPrefix)
    {
        var found = _lockStores.TryGetValue(name, out var entry);
        (store, keyPrefix) = found ? entry : (null, null);
        return found;
    }

    public bool TryGetConfigurationStore(string name, [NotNullWhen(true)] out IConfigurationStore? store) =>
        _configurationStores.TryGetValue(name, out store);

    public bool TryGetSecretStore(string name, [NotNullWhen(true)] out ISecretStore? store) => _secretStores.TryGetValue(name, out store);

    public bool TryGetOutputBinding(string name, [NotNullWhen(true)] out IOutputBinding? binding) => _outputBindings.TryGetValue(name, out binding);

    public IReadOnlyList<InputBindingEntry> InputBindings => _inputBindings;

    public bool TryGetStateStore(string name, [NotNullWhen(true)] out IStateStore? store)
    {
        store = FindStateStore(name)?.Instance as IStateStore;
        return store is not null;
    }

    public RegisteredComponent? FindStateStore(string name) => _stateStores.GetValueOrDefault(name);

    public bool TryGetPubSub(string name, [NotNullWhen(true)] out IPubSub? pubSub)
    {
        pubSub = FindPubSub(name)?.Instance as IPubSub;
        return pubSub is not null;
    }

    public RegisteredComponent? FindPubSub(string name) => _pubSubs.GetValueOrDefault(name);

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in _owned)
        {
            switch (instance)
            {
                case IAsyncDisposable asyncDisposable: await asyncDisposable.DisposeAsync(); break;
                case IDisposable disposable: disposable.Dispose(); break;
            }
        }

        _owned.Clear();
    }

    private RegisteredComponent Create(
        ComponentDefinition definition, Dictionary<string, ComponentFactory> byType, IServiceProvider services)
    {
        if (!byType.TryGetValue(definition.Type, out var factory))
        {
            throw new ResourceLoadException(UnknownTypeMessage(definition, byType.Keys));
        }

        object instance;
        try
        {
            // The resolved secrets go to the factory only; the registration keeps the definition as written.
            instance = factory.Create(new ComponentContext(SecretReferences.Resolve(definition, _secretStores), services));
        }
        catch (Exception ex) when (ex is not ResourceLoadException)
        {
            throw new ResourceLoadException(
                $"{definition.Location}: component '{definition.Name}' ({definition.Type}) failed to start: {ex.Message.ReplaceLineEndings(" ")}", ex);
        }

        _owned.Add(instance);
        return new RegisteredComponent(definition, instance, CapabilitiesOf(definition, instance));
    }

    /// <summary>A binding serves the directions its type supports that its <c>direction</c> metadata allows, as daprd.</summary>
    // dapr/dapr pkg/runtime/processor/binding/binding.go initInputBinding, initOutputBinding
    private void AddBinding(ComponentDefinition definition, object instance)
    {
        if (instance is IOutputBinding output && BindingDirection.Allows(definition, BindingDirection.Output))
        {
            _outputBindings[definition.Name] = output;
        }

        if (instance is IInputBinding input && BindingDirection.Allows(definition, BindingDirection.Input))
        {
            // daprd takes the first "route" item, its name matched exactly.
            var route = definition.Get("route") is { Length: > 0 } r ? r : definition.Name;
            _inputBindings.Add(new InputBindingEntry(
                definition.Name, route, BindingDirection.IsExplicit(definition, BindingDirection.Input), input));
        }
    }

    internal static IReadOnlyList<string> CapabilitiesOf(ComponentDefinition definition, object instance) => instance switch
    {
        IStateStore store when definition.IsTrue(StateMetadata.ActorStateStore) => [.. store.Features, "ACTOR"],
        IStateStore store => store.Features,
        ISecretStore secretStore => secretStore.Features,
        _ => [],
    };

    /// <summary>
    /// Every component here is its type's first version, as daprd registers most: <c>v1</c>, <c>v0</c> or none
    /// (daprd's <c>IsInitialVersion</c>); another version fails like an unknown type.
    /// </summary>
    private static void RejectUnservedVersion(ComponentDefinition definition)
    {
        if (definition.Version.ToLowerInvariant() is not ("" or "v0" or "v1"))
        {
            throw new ResourceLoadException(
                $"{definition.SourceFile}: component '{definition.Name}' has type '{definition.Type}' version '{definition.Version}', which the local sidecar cannot serve (versions served: v1)");
        }
    }

    private static string UnknownTypeMessage(ComponentDefinition definition, IEnumerable<string> known)
    {
        var hint = definition.Category switch
        {
            "state" => "; run with --embedded to use the built-in SQLite store",
            "pubsub" => "; run with --embedded to use the built-in broker",
            _ => $" (types served: {string.Join(", ", known.Order(StringComparer.Ordinal))})",
        };
        return $"{definition.SourceFile}: component '{definition.Name}' has type '{definition.Type}', which the local sidecar cannot serve{hint}";
    }

    private void DisposeOwned()
    {
        foreach (var instance in _owned)
        {
            switch (instance)
            {
                case IDisposable disposable: disposable.Dispose(); break;
                case IAsyncDisposable asyncDisposable: asyncDisposable.DisposeAsync().AsTask().GetAwaiter().GetResult(); break;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Problem}; skipped because of spec.ignoreErrors: true")]
    private static partial void LogIgnored(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Name} ({Type}) → {Substitute}")]
    private static partial void LogSubstituted(ILogger logger, string name, string type, string substitute);
}
