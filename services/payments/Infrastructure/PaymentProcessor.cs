using Contracts;
using Microsoft.Extensions.Options;
using Payments.Domain;

namespace Payments.Infrastructure;

/// <summary>
/// The simulated payment processor, idempotent per order: a recorded outcome is answered again without processing;
/// otherwise it takes the configured time, decides, and records the outcome first-write, so of two concurrent calls
/// for one order only one outcome is ever kept and both answer it.
/// </summary>
internal sealed partial class PaymentProcessor(
    PaymentStore store, IOptions<PaymentOptions> options, TimeProvider time, ILogger<PaymentProcessor> logger)
{
    /// <summary>The order's payment outcome, and whether it was recorded before this call.</summary>
    public async Task<(Payment Payment, bool Replayed)> ChargeAsync(PaymentRequest request, CancellationToken cancellationToken)
    {
        if (await store.FindAsync(request.OrderId, cancellationToken) is { } recorded)
        {
            return (recorded, true);
        }

        await Task.Delay(options.Value.ProcessingDelay, time, cancellationToken);
        var payment = PaymentDecision.Decide(request, options.Value.MaxAmount, time.GetUtcNow());
        if (await store.TryRecordAsync(payment, cancellationToken))
        {
            LogProcessed(logger, payment.OrderId, payment.Amount, payment.Status);
            return (payment, false);
        }

        // Another call for this order recorded its outcome while this one was processing: that outcome stands.
        var winner = await store.FindAsync(request.OrderId, cancellationToken)
            ?? throw new InvalidOperationException($"Payment for order '{request.OrderId}' was neither recorded nor readable.");
        return (winner, true);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Payment for order {OrderId} of {Amount}: {Status}")]
    private static partial void LogProcessed(ILogger logger, string orderId, decimal amount, string status);
}
