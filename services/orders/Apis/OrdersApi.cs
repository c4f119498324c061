using Microsoft.AspNetCore.Http.HttpResults;
using Orders.Models;
using Orders.Workflows;
using ServiceDefaults;

namespace Orders.Apis;

/// <summary>Placing orders, reading them and deciding on those that wait for approval.</summary>
public static partial class OrdersApi
{
    public static IEndpointRouteBuilder MapOrdersApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/orders").WithTags("Orders");

        group.MapPost("/", CreateOrder).WithValidation<CreateOrderRequest>()
            .WithName("CreateOrder")
            .WithSummary("Accepts an order and starts its workflow; repeating the same orderId answers the existing order.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/{id}", GetOrder)
            .WithName("GetOrder")
            .WithSummary("The order's status, lines, total and, unless completed, the reason.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id}/approval", DecideApproval).WithValidation<ApprovalRequest>()
            .WithName("DecideApproval")
            .WithSummary("Approves or rejects an order that is awaiting approval.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        return app;
    }

    /// <summary>
    /// The order record is written first, with first-write semantics; only the request that created it schedules the
    /// workflow (instance id = order id). A repeat with the same body answers 202 with the stored order; a repeat
    /// with a different customer or lines is a 409, since the id already names another order.
    /// </summary>
    public static async Task<Results<Accepted<OrderAccepted>, ProblemHttpResult>> CreateOrder(
        CreateOrderRequest request, [AsParameters] OrderServices services, CancellationToken cancellationToken)
    {
        var order = new Order(request.OrderId ?? Guid.NewGuid().ToString("N"), request.CustomerId!, [.. request.Lines!],
            OrderStatus.Pending, 0m, null);

        var (created, stored) = await services.Store.CreateAsync(order, cancellationToken);
        if (!created)
        {
            if (!stored.SameRequestAs(order))
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Order id already used",
                    detail: $"Order '{order.OrderId}' exists with a different customer or lines; send a new orderId for a new order.");
            }

            LogRepeated(services.Logger, stored.OrderId, stored.Status);
            return Accepted(stored);
        }

        var options = services.Options.Value;
        try
        {
            await services.Workflows.StartAsync(
                new OrderWorkflowInput(order.OrderId, order.CustomerId, order.Lines, options.ApprovalThreshold, options.ApprovalTimeout),
                cancellationToken);
        }
        catch (Exception)
        {
            // A record without a workflow would stay Pending forever and swallow the client's retry: remove it.
            await services.Store.DeleteAsync(order.OrderId, CancellationToken.None);
            throw;
        }

        services.Metrics.Started();
        LogAccepted(services.Logger, order.OrderId, order.Lines.Count);
        return Accepted(order);
    }

    /// <summary>Reads the order record; while it is unsettled, a workflow that failed or was terminated shows as Failed.</summary>
    public static async Task<Results<Ok<Order>, ProblemHttpResult>> GetOrder(
        string id, [AsParameters] OrderServices services, CancellationToken cancellationToken)
    {
        if (!Slug.IsValid(id) || await services.Store.GetAsync(id, cancellationToken) is not { } order)
        {
            return NotFound(id);
        }

        if (order.Status is OrderStatus.Pending or OrderStatus.AwaitingApproval)
        {
            if (await services.Workflows.GetFailureAsync(id, cancellationToken) is { } failure)
            {
                order = order with { Status = OrderStatus.Failed, Reason = failure };
            }
        }

        return TypedResults.Ok(order);
    }

    /// <summary>Raises the workflow's <c>approval</c> event; only an order awaiting approval can take one.</summary>
    public static async Task<Results<Accepted, ProblemHttpResult>> DecideApproval(
        string id, ApprovalRequest request, [AsParameters] OrderServices services, CancellationToken cancellationToken)
    {
        if (!Slug.IsValid(id) || await services.Store.GetAsync(id, cancellationToken) is not { } order)
        {
            return NotFound(id);
        }

        if (order.Status != OrderStatus.AwaitingApproval)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Order is not awaiting approval",
                detail: $"Order '{id}' is {order.Status}; only an order awaiting approval can be approved or rejected.");
        }

        await services.Workflows.RaiseApprovalAsync(id, new ApprovalDecision(request.Approved!.Value), cancellationToken);
        LogDecided(services.Logger, id, request.Approved.Value);
        return TypedResults.Accepted($"/orders/{id}");
    }

    private static Accepted<OrderAccepted> Accepted(Order order) =>
        TypedResults.Accepted($"/orders/{order.OrderId}", new OrderAccepted(order.OrderId, order.Status));

    private static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Order not found",
            detail: $"There is no order '{id}'; check the id returned in the Location header of POST /orders.");

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} accepted with {LineCount} lines; workflow scheduled")]
    private static partial void LogAccepted(ILogger logger, string orderId, int lineCount);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} repeated; answering the stored order ({Status})")]
    private static partial void LogRepeated(ILogger logger, string orderId, OrderStatus status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: approval decision {Approved} raised")]
    private static partial void LogDecided(ILogger logger, string orderId, bool approved);
}
