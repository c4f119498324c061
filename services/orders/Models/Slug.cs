using System.Text.RegularExpressions;

namespace Orders.Models;

/// <summary>Ids travel in URLs, state keys and workflow instance ids, so they are kept to a safe alphabet.</summary>
public static partial class Slug
{
    public const string Rule = "1-64 characters: letters, digits, '-', '_' or '.', starting with a letter or digit.";

    public static bool IsValid(string? value) => value is not null && Pattern().IsMatch(value);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex Pattern();
}
