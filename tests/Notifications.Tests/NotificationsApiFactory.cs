using Dapr.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using TestDoubles;

namespace Notifications.Tests;

/// <summary>The notifications service in memory, over <see cref="FakeDaprClient"/> and a clock the tests move.</summary>
public sealed class NotificationsApiFactory : WebApplicationFactory<Program>
{
    public FakeDaprClient Dapr { get; } = new();

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    protected override void ConfigureWebHost(IWebHostBuilder builder) =>
        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<DaprClient>();
            services.AddSingleton<DaprClient>(Dapr);
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Time);
        });
}
