using Catalog.Domain;

namespace Catalog.Models;

/// <summary>Builds the field → messages map <see cref="ServiceDefaults.IValidatable"/> answers.</summary>
internal sealed class ValidationErrors
{
    private readonly Dictionary<string, string[]> _errors = new(StringComparer.Ordinal);

    public ValidationErrors When(bool invalid, string field, string message)
    {
        if (invalid)
        {
            _errors[field] = [.. _errors.GetValueOrDefault(field, []), message];
        }

        return this;
    }

    public ValidationErrors ItemId(string? id) =>
        When(!Domain.ItemId.IsValid(id), "id", $"'{id}' is not a valid item id: {Domain.ItemId.Rule}");

    public ValidationErrors OrderId(string? orderId) =>
        When(string.IsNullOrWhiteSpace(orderId) || orderId.Length > 128, "orderId", "orderId is required (1-128 characters).");

    public IDictionary<string, string[]> ToDictionary() => _errors;
}
