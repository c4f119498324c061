using Contracts;
using Microsoft.AspNetCore.Mvc;
using ServiceDefaults;

namespace Payments.Models;

/// <summary><c>POST /payments</c>: the contract's <see cref="PaymentRequest"/>, validated before anything is charged.</summary>
public sealed record ChargeCommand([FromBody] PaymentRequest Body) : IValidatable
{
    public IDictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!PaymentIds.IsValid(Body.OrderId))
        {
            errors["orderId"] = [PaymentIds.Rule("orderId")];
        }

        if (!PaymentIds.IsValid(Body.CustomerId))
        {
            errors["customerId"] = [PaymentIds.Rule("customerId")];
        }

        if (Body.Amount < 0)
        {
            errors["amount"] = ["amount must be 0 or more."];
        }

        return errors;
    }
}
