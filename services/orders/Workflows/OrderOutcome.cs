using Orders.Models;

namespace Orders.Workflows;

/// <summary>Output of <see cref="OrderWorkflow"/>: how the order ended, its total and, unless completed, why.</summary>
public sealed record OrderOutcome(OrderStatus Status, decimal Total, string? Reason);
