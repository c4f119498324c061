using Catalog.Infrastructure;

namespace Catalog.Extensions;

/// <summary>The catalog's dependencies, registered in one place.</summary>
public static class ServiceCollectionExtensions
{
    public static WebApplicationBuilder AddCatalogServices(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ItemOutbox>();
        builder.Services.AddSingleton<ItemIndexStore>();
        builder.Services.AddSingleton<ItemStore>();
        builder.Services.AddSingleton<CatalogMetrics>();
        return builder;
    }
}
