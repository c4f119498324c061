using Catalog.Domain;
using Contracts;

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
        When(!ResourceId.IsValid(id), "id", $"'{Printable(id)}' is not a valid item id: {ResourceId.Rule}");

    public ValidationErrors OrderId(string? orderId) =>
        When(!ResourceId.IsValid(orderId), "orderId", $"'{Printable(orderId)}' is not a valid order id: {ResourceId.Rule}");

    /// <summary>A JSON body is required; without one nothing else can be checked.</summary>
    public ValidationErrors Body(object? body) => When(body is null, "body", "A JSON object body is required.");

    public ValidationErrors Name(string? name) =>
        When(string.IsNullOrWhiteSpace(name) || name.Length > CatalogLimits.MaxNameLength || name.Any(char.IsControl), "name",
            $"name is required: 1-{CatalogLimits.MaxNameLength} characters, no control characters.");

    public ValidationErrors Price(decimal? price) =>
        When(price is not { } p || p < 0 || p > CatalogLimits.MaxPrice || decimal.Round(p, CatalogLimits.MaxPriceDecimals) != p, "price",
            $"price is required: 0 to {CatalogLimits.MaxPrice:0} with at most {CatalogLimits.MaxPriceDecimals} decimals.");

    public ValidationErrors Stock(int? stock) =>
        When(stock is not (>= 0 and <= CatalogLimits.MaxStock), "stock", $"stock is required: a whole number from 0 to {CatalogLimits.MaxStock}.");

    public ValidationErrors Quantity(int quantity) =>
        When(quantity is < 1 or > CatalogLimits.MaxQuantity, "quantity", $"quantity must be a whole number from 1 to {CatalogLimits.MaxQuantity}.");

    public IDictionary<string, string[]> ToDictionary() => _errors;

    /// <summary>Echoes a refused value without control characters, so the answer itself stays one clean line.</summary>
    private static string Printable(string? value) =>
        value is null ? "" : string.Concat(value.Take(80).Select(c => char.IsControl(c) ? '\uFFFD' : c));
}
