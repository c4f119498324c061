using Dapr.Workflow;
using Orders.Infrastructure;
using Orders.Models;
using Orders.Workflows;
using Orders.Workflows.Activities;

namespace Orders.Extensions;

/// <summary>Everything the orders service depends on, registered in one place.</summary>
public static class ServiceCollectionExtensions
{
    public static WebApplicationBuilder AddOrdersServices(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.Configure<OrdersOptions>(builder.Configuration.GetSection(OrdersOptions.SectionName));
        services.AddDaprClient();

        services.AddDaprWorkflow(options =>
        {
            options.RegisterWorkflow<OrderWorkflow>();
            options.RegisterActivity<ReserveItemActivity>();
            options.RegisterActivity<ReleaseReservationActivity>();
            options.RegisterActivity<ChargePaymentActivity>();
            options.RegisterActivity<UpdateOrderStatusActivity>();
            options.RegisterActivity<PublishOrderCompletedActivity>();
            options.RegisterActivity<PublishOrderCancelledActivity>();
        });

        services.AddSingleton<IOrderWorkflowClient, DaprOrderWorkflowClient>();
        services.AddSingleton<OrderStore>();
        services.AddSingleton<AppClients>();
        return builder;
    }
}
