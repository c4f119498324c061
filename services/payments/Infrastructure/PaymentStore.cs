using Contracts;
using Dapr;
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
        TryCreateAsync(Key(payment.OrderId), payment, cancellationToken);

    /// <summary>Writes the claim unless the order has one; <c>false</c> when another charge claimed it first.</summary>
    public Task<bool> TryClaimAsync(PaymentClaim claim, CancellationToken cancellationToken) =>
        TryCreateAsync(ClaimKey(claim.OrderId), claim, cancellationToken);

    /// <summary>The order's claim and its ETag (<c>null</c> and empty when there is none).</summary>
    public async Task<(PaymentClaim? Claim, string ETag)> FindClaimAsync(string orderId, CancellationToken cancellationToken) =>
        await dapr.GetStateAndETagAsync<PaymentClaim?>(DaprNames.StateStore, ClaimKey(orderId), cancellationToken: cancellationToken);

    /// <summary>
    /// Replaces a stale claim, only if it is still the one read (<paramref name="etag"/>); <c>false</c> when another
    /// charge took it over first. A store that reports the mismatch as an error rather than <c>Aborted</c> counts the
    /// same: the caller reads again, and a store that is down fails that read.
    /// </summary>
    public async Task<bool> TryTakeOverAsync(PaymentClaim claim, string etag, CancellationToken cancellationToken)
    {
        try
        {
            return await dapr.TrySaveStateAsync(DaprNames.StateStore, ClaimKey(claim.OrderId), claim, etag, cancellationToken: cancellationToken);
        }
        catch (DaprException)
        {
            return false;
        }
    }

    /// <summary>
    /// Create-if-missing: first-write with an empty ETag. Stores disagree on how they refuse an existing key
    /// (in-memory and SQLite: <c>Aborted</c>, which the SDK turns into <c>false</c>; state.redis: <c>Internal</c>, an
    /// exception), so an error whose key exists afterwards is a lost race too.
    /// </summary>
    private async Task<bool> TryCreateAsync<T>(string key, T value, CancellationToken cancellationToken)
    {
        try
        {
            return await dapr.TrySaveStateAsync(DaprNames.StateStore, key, value, etag: string.Empty, FirstWrite, cancellationToken: cancellationToken);
        }
        catch (DaprException)
        {
            var (existing, _) = await dapr.GetStateAndETagAsync<T?>(DaprNames.StateStore, key, cancellationToken: cancellationToken);
            if (existing is null)
            {
                throw;
            }

            return false;
        }
    }
}
