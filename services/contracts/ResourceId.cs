using System.Text.RegularExpressions;

namespace Contracts;

/// <summary>
/// The one rule for every id the services exchange (item, order, customer ids): URL- and key-safe, so an id can be a
/// route value, part of a state key, a workflow instance id and a cursor as it is. Every service validates with it, and
/// orders checks item ids with it before it asks catalog, so an id one service accepts is never refused by another.
/// </summary>
public static partial class ResourceId
{
    /// <summary>The rule in words, for validation messages.</summary>
    public const string Rule = "1-64 characters: letters, digits, '.', '_' or '-', starting with a letter or digit.";

    /// <summary>True when <paramref name="value"/> follows <see cref="Rule"/>.</summary>
    public static bool IsValid(string? value) => value is not null && Pattern().IsMatch(value);

    // \z, not $: $ also matches before a final newline, which would let "a\n" through.
    [GeneratedRegex(@"\A[A-Za-z0-9][A-Za-z0-9._-]{0,63}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
