namespace Sidecar.Metadata;

/// <summary>Registers the metadata building block.</summary>
internal static class MetadataRegistration
{
    public static IServiceCollection AddMetadataBuildingBlock(this IServiceCollection services)
    {
        services.TryAddSingleton<IMetadataApi, MetadataApi>();
        return services;
    }
}
