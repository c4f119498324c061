using Orders.Workflows;

namespace Orders.Models;

/// <summary>
/// The order record in the state store (key <c>order:{id}</c>), the source of truth for <c>GET /orders/{id}</c>.
/// Created by the API as <see cref="OrderStatus.Pending"/>; the workflow's activities move it on.
/// </summary>
public sealed record Order(
    string OrderId, string CustomerId, IReadOnlyList<OrderLine> Lines, OrderStatus Status, decimal Total, string? Reason)
{
    /// <summary>Whether <paramref name="other"/> asks for the same thing (customer and lines), whatever its status.</summary>
    public bool SameRequestAs(Order other) =>
        CustomerId == other.CustomerId && Lines.SequenceEqual(other.Lines);

    /// <summary>The record of an order whose workflow has just started.</summary>
    public static Order PendingFrom(OrderWorkflowInput input) =>
        new(input.OrderId, input.CustomerId, [.. input.Lines], OrderStatus.Pending, 0m, null);
}
