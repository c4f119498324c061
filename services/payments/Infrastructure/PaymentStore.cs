using Contracts;
using Dapr.Client;
using Payments.Domain;

namespace Payments.Infrastructure;

/// <summary>Payment outcomes in the Dapr state store, one per order, recorded once; and the claims that make a charge process once.</summary>
internal sealed class PaymentStore(DaprClient dapr)
{
    private static readonly StateOptions FirstWrite = new() { Concurrency = ConcurrencyMode.FirstWrite };

    private static string Key(string orderId) => $"payment:{orderId}";

    private static string ClaimKey(string orderId) => $"payment-claim:{orderId}";

    public Task<Payment?> FindAsync(string orderId, CancellationToken cancellationToken) =>
        dapr.GetStateAsync<Payment?>(DaprNames.StateStore, Key(orderId), cancellationToken: cancellationToken);

    /// <summary>Records the outcome unless one is already recorded for the order; <c>false</c> when another call got there first.</summary>
    public Task<bool> TryRecordAsync(Payment payment, CancellationToken cancellationToken) =>
        dapr.TrySaveStateAsync(DaprNames.StateStore, Key(payment.OrderId), payment, etag: string.Empty, FirstWrite,
            cancellationToken: cancellationToken);

    /// <summary>Writes the claim unless the order has one; <c>false</c> when another charge claimed it first.</summary>
    public Task<bool> TryClaimAsync(PaymentClaim claim, CancellationToken cancellationToken) =>
        dapr.TrySaveStateAsync(DaprNames.StateStore, ClaimKey(claim.OrderId), claim, etag: string.Empty, FirstWrite,
            cancellationToken: cancellationToken);

    /// <summary>The order's claim and its ETag (<c>null</c> and empty when there is none).</summary>
    public async Task<(PaymentClaim? Claim, string ETag)> FindClaimAsync(string orderId, CancellationToken cancellationToken) =>
        await dapr.GetStateAndETagAsync<PaymentClaim?>(DaprNames.StateStore, ClaimKey(orderId), cancellationToken: cancellationToken);

    /// <summary>Replaces a stale claim, only if it is still the one read (<paramref name="etag"/>); <c>false</c> when another charge took it over first.</summary>
    public Task<bool> TryTakeOverAsync(PaymentClaim claim, string etag, CancellationToken cancellationToken) =>
        dapr.TrySaveStateAsync(DaprNames.StateStore, ClaimKey(claim.OrderId), claim, etag, cancellationToken: cancellationToken);
}
