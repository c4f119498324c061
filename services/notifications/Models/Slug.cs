using System.Text.RegularExpressions;

namespace Notifications.Models;

/// <summary>Order ids become part of state keys, so only ids in the alphabet orders itself accepts are indexed.</summary>
public static partial class Slug
{
    public const string Rule = "1-64 characters: letters, digits, '-', '_' or '.', starting with a letter or digit.";

    public static bool IsValid(string? value) => value is not null && Pattern().IsMatch(value);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex Pattern();
}
