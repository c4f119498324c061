using System.Globalization;

namespace Bench.Shared;

/// <summary><c>--name value</c> pairs and <c>--flag</c>s from the command line; an unknown option fails with the list of known ones.</summary>
internal sealed class Options
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public Options(string[] args, params string[] known)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || !known.Contains(args[i][2..]))
            {
                throw new ArgumentException($"unknown argument '{args[i]}'; known: {string.Join(", ", known.Select(k => "--" + k))}");
            }

            var hasValue = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal);
            _values[args[i][2..]] = hasValue ? args[++i] : "true";
        }
    }

    public int Int(string name, int fallback) => _values.TryGetValue(name, out var v)
        ? int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"--{name} must be a positive whole number, not '{v}'")
        : fallback;

    public string? String(string name) => _values.GetValueOrDefault(name);

    public bool Flag(string name) => _values.ContainsKey(name);
}
