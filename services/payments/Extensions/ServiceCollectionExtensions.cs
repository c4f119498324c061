using Microsoft.Extensions.DependencyInjection.Extensions;
using Payments.Domain;
using Payments.Infrastructure;

namespace Payments.Extensions;

/// <summary>The payments service's dependencies, registered in one place.</summary>
public static class ServiceCollectionExtensions
{
    public static WebApplicationBuilder AddPaymentsServices(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<PaymentOptions>()
            .Bind(builder.Configuration.GetSection(PaymentOptions.SectionName))
            .Validate(o => o.ProcessingDelay >= TimeSpan.Zero, "Payments:ProcessingDelay must not be negative.")
            .Validate(o => o.MaxAmount >= 0, "Payments:MaxAmount must be 0 or more.")
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<PaymentStore>();
        builder.Services.AddSingleton<PaymentProcessor>();
        builder.Services.AddSingleton<PaymentMetrics>();
        return builder;
    }
}
