using System.Text.RegularExpressions;

namespace Catalog.Domain;

/// <summary>Item ids are URL- and key-safe slugs, so they can be route values, state keys and cursors as they are.</summary>
public static partial class ItemId
{
    public const string Rule = "1-64 characters: lowercase letters, digits, '.', '_' or '-', starting with a letter or digit.";

    public static bool IsValid(string? id) => id is not null && Pattern().IsMatch(id);

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
