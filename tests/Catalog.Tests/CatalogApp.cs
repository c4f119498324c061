using Contracts;
using Dapr.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using TestDoubles;

namespace Catalog.Tests;

/// <summary>The catalog in memory, its <see cref="DaprClient"/> replaced by a <see cref="FakeDaprClient"/> this test owns.</summary>
public class CatalogApp : WebApplicationFactory<Program>
{
    public CatalogApp()
    {
        // As components/catalogstore.yaml: catalog's store publishes its upserts to topic items.
        Dapr.ConfigureOutbox(DaprNames.CatalogStore, DaprNames.PubSub, DaprNames.Topics.Items);
    }

    public FakeDaprClient Dapr { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        builder.ConfigureServices(services => services.Replace(ServiceDescriptor.Singleton<DaprClient>(Dapr)));
    }
}
