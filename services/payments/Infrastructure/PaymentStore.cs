using Contracts;
using Dapr.Client;
using Payments.Domain;
using ServiceDefaults.State;

namespace Payments.Infrastructure;

/// <summary>
/// Payment outcomes in the Dapr state store, one per order, recorded once; and the claims that make a charge process
/// once. Every conditional write goes through <see cref="OptimisticState"/>, which settles the ways stores refuse a
/// create-if-missing on an existing key (SQLite: <c>Aborted</c>; state.redis: <c>Internal</c>) by reading again.
/// </summary>
internal sealed class PaymentStore(DaprClient dapr, OptimisticState state)
{
    private static string Key(string orderId) => $"payment:{orderId}";

    private static string ClaimKey(string orderId) => $"payment-claim:{orderId}";

    public Task<Payment?> FindAsync(string orderId, CancellationToken cancellationToken) =>
        dapr.GetStateAsync<Payment?>(DaprNames.StateStore, Key(orderId), cancellationToken: cancellationToken);

    /// <summary>Records the outcome unless one is already recorded for the order; <c>false</c> when another call got there first.</summary>
    public Task<bool> TryRecordAsync(Payment payment, CancellationToken cancellationToken) =>
        CreateIfMissingAsync(Key(payment.OrderId), payment, cancellationToken);

    /// <summary>Writes the claim unless the order has one; <c>false</c> when another charge claimed it first.</summary>
    public Task<bool> TryClaimAsync(PaymentClaim claim, CancellationToken cancellationToken) =>
        CreateIfMissingAsync(ClaimKey(claim.OrderId), claim, cancellationToken);

    public Task<PaymentClaim?> FindClaimAsync(string orderId, CancellationToken cancellationToken) =>
        dapr.GetStateAsync<PaymentClaim?>(DaprNames.StateStore, ClaimKey(orderId), cancellationToken: cancellationToken);

    /// <summary>Replaces <paramref name="stale"/> with <paramref name="fresh"/> if it is still the order's claim; <c>false</c> when another charge took it over first.</summary>
    public Task<bool> TryTakeOverAsync(PaymentClaim stale, PaymentClaim fresh, CancellationToken cancellationToken) =>
        state.UpdateAsync<PaymentClaim, bool>(DaprNames.StateStore, ClaimKey(stale.OrderId),
            current => current == stale ? StateChange<PaymentClaim, bool>.Write(fresh, true) : StateChange<PaymentClaim, bool>.Keep(false),
            cancellationToken);

    private Task<bool> CreateIfMissingAsync<T>(string key, T value, CancellationToken cancellationToken) where T : class =>
        state.UpdateAsync<T, bool>(DaprNames.StateStore, key,
            current => current is null ? StateChange<T, bool>.Write(value, true) : StateChange<T, bool>.Keep(false),
            cancellationToken);
}
