namespace Orders.Workflows.Activities;

/// <summary>Input of <see cref="ReleaseReservationActivity"/>.</summary>
public sealed record ReleaseReservation(string OrderId, string ItemId);
