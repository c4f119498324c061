using Contracts;
using Payments.Domain;

namespace Payments.Tests.Domain;

public class PaymentDecisionTests
{
    private static readonly DateTimeOffset Now = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Theory]
    [InlineData(0)]
    [InlineData(999.99)]
    [InlineData(1000)]
    public void Decide_WhenAmountWithinLimit_Approves(decimal amount)
    {
        var payment = PaymentDecision.Decide(new PaymentRequest("order-1", "customer-1", amount), 1000m, Now);

        Assert.Equal(new Payment("order-1", "customer-1", amount, PaymentStatus.Approved, null, Now), payment);
    }

    [Fact]
    public void Decide_WhenAmountOverLimit_DeclinesSayingWhy()
    {
        var payment = PaymentDecision.Decide(new PaymentRequest("order-1", "customer-1", 1000.01m), 1000m, Now);

        Assert.Equal(PaymentStatus.Declined, payment.Status);
        Assert.Contains("exceeds the limit of 1000", payment.Reason);
    }
}
