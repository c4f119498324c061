namespace Payments.Domain;

/// <summary>Settings of section <c>Payments</c>: how the simulated processor behaves.</summary>
public sealed class PaymentOptions
{
    public const string SectionName = "Payments";

    /// <summary>How long the simulated processor takes to answer.</summary>
    public TimeSpan ProcessingDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The largest amount approved; anything above is declined.</summary>
    public decimal MaxAmount { get; set; } = 1000m;
}
