using Contracts;
using Dapr.Client;
using ServiceDefaults.State;

namespace Payments.Infrastructure;

/// <summary>Payment outcomes in the Dapr state store, one per order, recorded once.</summary>
internal sealed class PaymentStore(DaprClient dapr)
{
    private static readonly StateOptions FirstWrite = new() { Concurrency = ConcurrencyMode.FirstWrite };

    private static string Key(string orderId) => $"payment:{orderId}";

    public Task<Payment?> FindAsync(string orderId, CancellationToken cancellationToken) =>
        dapr.GetStateAsync<Payment?>(DaprNames.StateStore, Key(orderId), cancellationToken: cancellationToken);

    /// <summary>
    /// Records the outcome unless one is already recorded for the order; <c>false</c> when another call got there first
    /// (on Redis that refusal comes back as an error rather than an ETag mismatch; the caller reads what was recorded).
    /// </summary>
    public Task<bool> TryRecordAsync(Payment payment, CancellationToken cancellationToken) =>
        OptimisticState.TryGuardedAsync(() => dapr.TrySaveStateAsync(DaprNames.StateStore, Key(payment.OrderId), payment,
            etag: string.Empty, FirstWrite, cancellationToken: cancellationToken));
}
