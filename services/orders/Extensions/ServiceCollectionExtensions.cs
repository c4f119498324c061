using Dapr.Workflow;
using Orders.Infrastructure;
using Orders.Models;

namespace Orders.Extensions;

/// <summary>Everything the orders service depends on, registered in one place.</summary>
public static class ServiceCollectionExtensions
{
    public static WebApplicationBuilder AddOrdersServices(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.Configure<OrdersOptions>(builder.Configuration.GetSection(OrdersOptions.SectionName));

        // Dapr.Workflow 1.18's source generator registers every Workflow<,> and WorkflowActivity<,> of this assembly
        // under its type name (OrderWorkflow and Workflows/Activities/*): listing them again here only makes the
        // runtime log an "already registered" warning for each at start-up.
        services.AddDaprWorkflow();

        services.AddSingleton<IOrderWorkflowClient, DaprOrderWorkflowClient>();
        services.AddSingleton<OrderStarter>();
        services.AddSingleton<OrderStore>();
        services.AddSingleton<OrderMetrics>();
        services.AddSingleton<AppClients>();
        return builder;
    }
}
