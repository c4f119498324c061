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
        group.MapGet("/{id}", GetOrder).WithValidation<OrderRoute>()
            .WithName("GetOrder")
            .WithSummary("The order's status, lines, total and, unless completed, the reason.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id}/approval", DecideApproval).WithValidation<OrderRoute>().WithValidation<ApprovalRequest>()
            .WithName("DecideApproval")
            .WithSummary("Approves or rejects an order that is awaiting approval.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        return app;
    }

    /// <summary>
    /// Starts the order's workflow first (instance id = order id, idempotent: <see cref="Infrastructure.OrderStarter"/>), then writes
    /// the Pending record if the workflow has not yet. A record therefore exists only for a started order, and a start
    /// that succeeded is never undone: if this request dies in between (crash, client gone), the workflow's first
    /// activity writes the record. A repeat with the same body answers 202 with the stored order; a repeat with another
    /// customer or other lines is a 409, since the id already names another order.
    /// </summary>
    public static async Task<Results<Accepted<OrderAccepted>, ProblemHttpResult>> CreateOrder(
        CreateOrderRequest request, [AsParameters] OrderServices services)
    {
        var options = services.Options.Value;
        var input = new OrderWorkflowInput(request.OrderId ?? Guid.NewGuid().ToString("N"), request.CustomerId!,
            request.ValidLines(), options.ApprovalThreshold, options.ApprovalTimeout);
        var requested = Order.PendingFrom(input);

        // Nothing below takes the client's token: once the start is accepted, the record must follow it.
        if (await services.Store.GetAsync(input.OrderId, CancellationToken.None) is { } stored)
        {
            LogRepeated(services.Logger, stored.OrderId, stored.Status);
            return stored.SameRequestAs(requested) ? Accepted(stored) : IdTaken(input.OrderId);
        }

        var running = await services.Starter.EnsureStartedAsync(input);
        if (!Order.PendingFrom(running).SameRequestAs(requested))
        {
            return IdTaken(input.OrderId);
        }

        var (created, record) = await services.Store.CreateAsync(requested, CancellationToken.None);
        if (created)
        {
            // Counted once per order: only the request that wrote the record (repeats and replays find it written).
            services.Metrics.Started();
        }

        LogAccepted(services.Logger, input.OrderId, input.Lines.Count);
        return Accepted(record);
    }

    /// <summary>
    /// Reads the order record; a started order whose record is not written yet reads as Pending from its workflow's
    /// input. While unsettled, a workflow that failed or was terminated shows as Failed.
    /// </summary>
    public static async Task<Results<Ok<Order>, ProblemHttpResult>> GetOrder(
        [AsParameters] OrderRoute route, [AsParameters] OrderServices services, CancellationToken cancellationToken)
    {
        var id = route.Id;
        var order = await services.Store.GetAsync(id, cancellationToken);
        if (order is null && await services.Workflows.FindAsync(id, cancellationToken) is { } started)
        {
            order = Order.PendingFrom(started);
        }

        if (order is null)
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
        [AsParameters] OrderRoute route, ApprovalRequest request, [AsParameters] OrderServices services, CancellationToken cancellationToken)
    {
        var id = route.Id;
        if (await services.Store.GetAsync(id, cancellationToken) is not { } order)
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

    private static ProblemHttpResult IdTaken(string orderId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Order id already used",
            detail: $"Order '{orderId}' exists with a different customer or lines; send a new orderId for a new order.");

    private static Accepted<OrderAccepted> Accepted(Order order) =>
        TypedResults.Accepted($"/orders/{order.OrderId}", new OrderAccepted(order.OrderId, order.Status));

    private static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Order not found",
            detail: $"There is no order '{id}'; check the id returned in the Location header of POST /orders.");

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} accepted with {LineCount} lines; workflow started")]
    private static partial void LogAccepted(ILogger logger, string orderId, int lineCount);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} repeated; answering the stored order ({Status})")]
    private static partial void LogRepeated(ILogger logger, string orderId, OrderStatus status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: approval decision {Approved} raised")]
    private static partial void LogDecided(ILogger logger, string orderId, bool approved);
}
