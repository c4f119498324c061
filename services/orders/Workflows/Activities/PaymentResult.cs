namespace Orders.Workflows.Activities;

/// <summary>Output of <see cref="ChargePaymentActivity"/>: approved, or declined with the processor's reason.</summary>
public sealed record PaymentResult(bool Approved, string? Reason);
