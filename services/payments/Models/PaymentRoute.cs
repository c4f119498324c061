using Contracts;
using Microsoft.AspNetCore.Mvc;
using ServiceDefaults;

namespace Payments.Models;

/// <summary>The <c>{orderId}</c> of <c>GET /payments/{orderId}</c>.</summary>
public sealed record PaymentRoute([FromRoute] string OrderId) : IValidatable
{
    public IDictionary<string, string[]> Validate() => ResourceId.IsValid(OrderId)
        ? new Dictionary<string, string[]>()
        : new Dictionary<string, string[]> { ["orderId"] = [$"orderId must be {ResourceId.Rule}"] };
}
