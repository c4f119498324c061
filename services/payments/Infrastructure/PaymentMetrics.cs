using System.Diagnostics.Metrics;
using Contracts;
using Payments.Domain;

namespace Payments.Infrastructure;

/// <summary>The payments service's domain metrics (meter <c>DaprShop.Payments</c>): decisions, not repeats.</summary>
public sealed class PaymentMetrics
{
    public const string MeterName = "DaprShop.Payments";

    private readonly Counter<long> _approved;
    private readonly Counter<long> _declined;

    public PaymentMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _approved = meter.CreateCounter<long>("payments.approved", "{payment}", "Payments approved.");
        _declined = meter.CreateCounter<long>("payments.declined", "{payment}", "Payments declined (answered 200 with status Declined).");
    }

    /// <summary>Counts a payment decided by this call; a recorded outcome answered again is not a new decision.</summary>
    public void Decided(Payment payment) => (payment.IsApproved() ? _approved : _declined).Add(1);
}
