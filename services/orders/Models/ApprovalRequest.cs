using ServiceDefaults;

namespace Orders.Models;

/// <summary>Body of <c>POST /orders/{id}/approval</c>: a person's decision on an order above the approval threshold.</summary>
public sealed record ApprovalRequest(bool? Approved) : IValidatable
{
    public IDictionary<string, string[]> Validate() => Approved is null
        ? new Dictionary<string, string[]> { ["approved"] = ["Say true to approve the order or false to reject it."] }
        : new Dictionary<string, string[]>();
}
