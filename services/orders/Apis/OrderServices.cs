using Microsoft.Extensions.Options;
using Orders.Infrastructure;
using Orders.Models;

namespace Orders.Apis;

/// <summary>The dependencies of the orders endpoints, bound with <c>[AsParameters]</c>.</summary>
public sealed record OrderServices(
    OrderStore Store, OrderStarter Starter, IOrderWorkflowClient Workflows, IOptions<OrdersOptions> Options, ILogger<OrderServices> Logger,
    OrderMetrics Metrics);
