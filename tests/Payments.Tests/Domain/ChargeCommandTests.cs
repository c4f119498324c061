using Contracts;
using Payments.Models;

namespace Payments.Tests.Domain;

public class ChargeCommandTests
{
    [Fact]
    public void Validate_WhenValid_HasNoErrors() =>
        Assert.Empty(new ChargeCommand(new PaymentRequest("order-1", "customer-1", 0m)).Validate());

    [Fact]
    public void Validate_WhenEveryFieldIsWrong_NamesEveryField()
    {
        var errors = new ChargeCommand(new PaymentRequest("", " ", -0.01m)).Validate();

        Assert.Equal(["amount", "customerId", "orderId"], errors.Keys.Order());
    }

    [Fact]
    public void Validate_WhenOrderIdCannotBeAStateKey_IsInvalid() =>
        Assert.Contains("orderId", new ChargeCommand(new PaymentRequest("a||b", "customer-1", 1m)).Validate().Keys);
}
