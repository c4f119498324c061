namespace Orders.Workflows.Activities;

/// <summary>Output of <see cref="ReserveItemActivity"/>: the unit price when reserved, else why catalog refused.</summary>
public sealed record ReservationResult(bool Reserved, decimal UnitPrice, string? Reason);
