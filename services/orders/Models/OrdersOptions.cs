namespace Orders.Models;

/// <summary>Configuration section <c>Orders</c>.</summary>
public sealed record OrdersOptions
{
    public const string SectionName = "Orders";

    /// <summary>Orders whose total is above this wait for a person's approval.</summary>
    public decimal ApprovalThreshold { get; init; } = 500m;

    /// <summary>How long an order waits for approval before it is rejected.</summary>
    public TimeSpan ApprovalTimeout { get; init; } = TimeSpan.FromMinutes(1);
}
