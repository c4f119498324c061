namespace Catalog.Infrastructure;

/// <summary>State store keys of the catalog (Dapr prefixes them with the app id).</summary>
internal static class StateKeys
{
    public const string Index = "items-index";

    public static string Item(string id) => $"item:{id}";
}
