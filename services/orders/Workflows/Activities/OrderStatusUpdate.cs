using Orders.Models;

namespace Orders.Workflows.Activities;

/// <summary>Input of <see cref="UpdateOrderStatusActivity"/>: the record's new status, total and reason.</summary>
public sealed record OrderStatusUpdate(string OrderId, OrderStatus Status, decimal Total, string? Reason);
