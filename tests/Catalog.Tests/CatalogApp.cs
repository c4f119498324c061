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
    public FakeDaprClient Dapr { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        builder.ConfigureServices(services => services.Replace(ServiceDescriptor.Singleton<DaprClient>(Dapr)));
    }
}
