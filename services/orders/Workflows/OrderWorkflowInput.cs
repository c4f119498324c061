using Orders.Models;

namespace Orders.Workflows;

/// <summary>
/// Input of <see cref="OrderWorkflow"/>. The approval threshold and timeout travel in the input, not configuration,
/// so a replay after a configuration change still takes the same path.
/// </summary>
public sealed record OrderWorkflowInput(
    string OrderId, string CustomerId, IReadOnlyList<OrderLine> Lines, decimal ApprovalThreshold, TimeSpan ApprovalTimeout);
