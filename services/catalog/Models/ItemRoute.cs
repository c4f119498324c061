using Microsoft.AspNetCore.Mvc;
using ServiceDefaults;

namespace Catalog.Models;

/// <summary>The <c>{id}</c> of <c>/items/{id}</c>, validated like every other input.</summary>
public sealed record ItemRoute([FromRoute] string Id) : IValidatable
{
    public IDictionary<string, string[]> Validate() => new ValidationErrors().ItemId(Id).ToDictionary();
}
