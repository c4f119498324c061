using Contracts;
using Microsoft.Extensions.Options;
using Payments.Domain;

namespace Payments.Infrastructure;

/// <summary>
/// The simulated payment processor, idempotent per order and processing each order once. A recorded outcome is
/// answered again when the request repeats it, and refused as a conflict when it asks for another customer or amount.
/// Otherwise the charge claims the order first (first-write) and only the claimant processes: concurrent charges wait
/// for its outcome. A claim left by a charge that died is taken over (ETag-guarded) once it is older than the
/// processing time plus <see cref="ClaimMargin"/>. The conditional writes are <see cref="PaymentStore"/>'s, through the shared
/// optimistic-concurrency helper.
/// </summary>
internal sealed partial class PaymentProcessor(
    PaymentStore store, IOptions<PaymentOptions> options, TimeProvider time, ILogger<PaymentProcessor> logger)
{
    /// <summary>How long past the processing time a claim counts as alive.</summary>
    public static readonly TimeSpan ClaimMargin = TimeSpan.FromSeconds(10);

    /// <summary>How often a waiting charge looks for the claimant's outcome.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>The order's payment outcome, or the recorded charge this request conflicts with.</summary>
    public async Task<ChargeOutcome> ChargeAsync(PaymentRequest request, CancellationToken cancellationToken)
    {
        var claimTimeout = options.Value.ProcessingDelay + ClaimMargin;
        while (true)
        {
            if (await store.FindAsync(request.OrderId, cancellationToken) is { } recorded)
            {
                return request.IsRepeatOf(recorded) ? new ChargeOutcome(recorded, null) : new ChargeOutcome(null, Describe(recorded));
            }

            var now = time.GetUtcNow();
            if (await store.TryClaimAsync(PaymentClaim.For(request, now), cancellationToken))
            {
                return await ProcessAsync(request, cancellationToken);
            }

            var claim = await store.FindClaimAsync(request.OrderId, cancellationToken);
            if (claim is not null && !claim.Matches(request))
            {
                return new ChargeOutcome(null, $"order '{claim.OrderId}' is being charged {claim.Amount} for customer '{claim.CustomerId}'");
            }

            if (claim is not null && now - claim.ClaimedAt > claimTimeout
                && await store.TryTakeOverAsync(claim, PaymentClaim.For(request, now), cancellationToken))
            {
                LogTakenOver(logger, request.OrderId, claim.ClaimedAt);
                return await ProcessAsync(request, cancellationToken);
            }

            await Task.Delay(PollInterval, time, cancellationToken);
        }
    }

    private async Task<ChargeOutcome> ProcessAsync(PaymentRequest request, CancellationToken cancellationToken)
    {
        await Task.Delay(options.Value.ProcessingDelay, time, cancellationToken);
        var payment = PaymentDecision.Decide(request, options.Value.MaxAmount, time.GetUtcNow());
        if (await store.TryRecordAsync(payment, cancellationToken))
        {
            LogProcessed(logger, payment.OrderId, payment.Amount, payment.Status);
            return new ChargeOutcome(payment, null, Decided: true);
        }

        // A charge that took over a claim this one held too long recorded first: that outcome stands.
        return new ChargeOutcome(await store.FindAsync(request.OrderId, cancellationToken)
            ?? throw new InvalidOperationException($"Payment for order '{request.OrderId}' was neither recorded nor readable."), null);
    }

    private static string Describe(Payment payment) =>
        $"order '{payment.OrderId}' was charged {payment.Amount} for customer '{payment.CustomerId}' ({payment.Status})";

    [LoggerMessage(Level = LogLevel.Information, Message = "Payment for order {OrderId} of {Amount}: {Status}")]
    private static partial void LogProcessed(ILogger logger, string orderId, decimal amount, string status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Payment for order {OrderId}: taking over a claim left at {ClaimedAt} by a charge that did not finish")]
    private static partial void LogTakenOver(ILogger logger, string orderId, DateTimeOffset claimedAt);
}
