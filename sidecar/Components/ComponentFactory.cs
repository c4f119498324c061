namespace Sidecar.Components;

/// <summary>
/// Creates live components of one <paramref name="Type"/> (e.g. <c>state.sqlite</c>). Register one with
/// <see cref="ComponentFactoryRegistration.AddComponentFactory"/>; the instance must implement the interface of its
/// category (<c>IStateStore</c> for <c>state.*</c>, <c>IPubSub</c> for <c>pubsub.*</c>).
/// </summary>
public sealed record ComponentFactory(string Type, Func<ComponentContext, object> Create);

/// <summary>What a factory gets: the component's definition and the sidecar's services (TimeProvider, logging, options).</summary>
public sealed record ComponentContext(ComponentDefinition Definition, IServiceProvider Services);

/// <summary>One registration line per component type.</summary>
public static class ComponentFactoryRegistration
{
    public static IServiceCollection AddComponentFactory(
        this IServiceCollection services, string type, Func<ComponentContext, object> create)
    {
        services.AddSingleton(new ComponentFactory(type, create));
        return services;
    }
}
