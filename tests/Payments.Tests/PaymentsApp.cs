using Dapr.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using TestDoubles;

namespace Payments.Tests;

/// <summary>
/// The payments service in memory with a <see cref="FakeDaprClient"/> and a <see cref="TimeProvider"/> this test owns
/// (by default one that answers every delay at once and counts them).
/// </summary>
public sealed class PaymentsApp(TimeProvider? time = null, decimal maxAmount = 1000m) : WebApplicationFactory<Program>
{
    public FakeDaprClient Dapr { get; } = new();

    public CountingTimeProvider Delays { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Payments:MaxAmount", maxAmount.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        builder.ConfigureServices(services =>
        {
            services.Replace(ServiceDescriptor.Singleton<DaprClient>(Dapr));
            services.Replace(ServiceDescriptor.Singleton(time ?? Delays));
        });
    }
}
