using System.Globalization;

namespace Deploy.Tests.Support;

/// <summary>
/// Collects what a check found wrong, one line each, always naming the file and the field:
/// <c>deploy/k8s/base/catalog.yaml: spec.template.metadata.annotations["dapr.io/app-port"] is "5109", dapr.yaml says 5101</c>.
/// </summary>
internal sealed class Problems
{
    private readonly List<string> _lines = [];

    public IReadOnlyList<string> Lines => _lines;

    public void Add(string file, string field, string what) => _lines.Add($"{file}: {field} {what}");

    public void AddRange(IEnumerable<string> lines) => _lines.AddRange(lines);

    /// <summary>Reports when <paramref name="actual"/> differs from what <paramref name="source"/> says.</summary>
    public void Expect(string file, string field, string? actual, string expected, string source)
    {
        if (!string.Equals(actual, expected, StringComparison.Ordinal))
        {
            Add(file, field, $"{Describe(actual)}, {source} says {expected}");
        }
    }

    /// <summary>Reports a missing value; returns whether it was present.</summary>
    public bool Require(string file, string field, string? actual)
    {
        if (string.IsNullOrEmpty(actual))
        {
            Add(file, field, "is missing");
            return false;
        }

        return true;
    }

    public static string Describe(string? value) => value is null ? "is missing" : string.Create(CultureInfo.InvariantCulture, $"is \"{value}\"");

    /// <summary>Formats a map key the way kubectl's field paths do: <c>annotations["dapr.io/app-port"]</c>.</summary>
    public static string Key(string prefix, string key) => $"{prefix}[\"{key}\"]";
}
