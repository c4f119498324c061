using Contracts;
using Microsoft.AspNetCore.Mvc;
using ServiceDefaults;

namespace Payments.Models;

/// <summary><c>POST /payments</c>: the contract's <see cref="PaymentRequest"/>, validated before anything is charged.</summary>
public sealed record ChargeCommand([FromBody] PaymentRequest Body) : IValidatable
{
    /// <summary>The largest amount a request may name: the largest order total orders computes.</summary>
    public const decimal MaxAmount = 1_000_000_000_000m;

    public IDictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!ResourceId.IsValid(Body.OrderId))
        {
            errors["orderId"] = [$"orderId must be {ResourceId.Rule}"];
        }

        if (!ResourceId.IsValid(Body.CustomerId))
        {
            errors["customerId"] = [$"customerId must be {ResourceId.Rule}"];
        }

        if (Body.Amount is < 0 or > MaxAmount)
        {
            errors["amount"] = [$"amount must be 0 to {MaxAmount}."];
        }

        return errors;
    }
}
