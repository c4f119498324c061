namespace Payments.Models;

/// <summary>Order and customer ids: non-empty, bounded, and usable inside a state key (no <c>||</c>).</summary>
internal static class PaymentIds
{
    public static bool IsValid(string? id) =>
        !string.IsNullOrWhiteSpace(id) && id.Length <= 128 && !id.Contains("||", StringComparison.Ordinal);

    public static string Rule(string field) => $"{field} is required (1-128 characters, without '||').";
}
