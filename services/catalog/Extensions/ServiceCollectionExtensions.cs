using Catalog.Domain;
using Catalog.Infrastructure;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Catalog.Extensions;

/// <summary>The catalog's dependencies, registered in one place.</summary>
public static class ServiceCollectionExtensions
{
    public static WebApplicationBuilder AddCatalogServices(this WebApplicationBuilder builder)
    {
        builder.Services.AddDaprClient();
        builder.Services.AddOptions<CatalogOptions>()
            .Bind(builder.Configuration.GetSection(CatalogOptions.SectionName))
            .Validate(o => o.MaxWriteAttempts >= 1, "Catalog:MaxWriteAttempts must be 1 or more.")
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<OptimisticWriter>();
        builder.Services.AddSingleton<ItemStore>();
        builder.Services.AddSingleton<ItemEvents>();
        builder.Services.AddSingleton<CatalogMetrics>();
        return builder;
    }
}
