namespace Orders.Models;

/// <summary>Payload of the workflow's external event <c>approval</c>.</summary>
public sealed record ApprovalDecision(bool Approved);
