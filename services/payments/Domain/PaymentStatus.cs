namespace Payments.Domain;

/// <summary>Values of <see cref="Contracts.Payment.Status"/>.</summary>
public static class PaymentStatus
{
    public const string Approved = "Approved";
    public const string Declined = "Declined";
}
