using Contracts;
using Microsoft.AspNetCore.Mvc;
using ServiceDefaults;

namespace Orders.Models;

/// <summary>The <c>{id}</c> of <c>/orders/{id}</c> routes: an order id under the one id rule, or a 400 naming it.</summary>
public sealed record OrderRoute([FromRoute] string Id) : IValidatable
{
    public IDictionary<string, string[]> Validate() => ResourceId.IsValid(Id)
        ? new Dictionary<string, string[]>()
        : new Dictionary<string, string[]> { ["id"] = [$"The order id must be {ResourceId.Rule}"] };
}
