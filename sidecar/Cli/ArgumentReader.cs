using System.Globalization;

namespace Sidecar.Cli;

/// <summary>
/// Walks the arguments as daprd and the Dapr CLI accept them: <c>--flag value</c>, <c>--flag=value</c>, and bare
/// boolean flags (<c>--embedded</c>, or <c>--embedded=false</c>).
/// </summary>
internal sealed class ArgumentReader(IReadOnlyList<string> args)
{
    private int _index;
    private string? _inlineValue;

    /// <summary>The flag being read, as written (e.g. <c>--app-port</c>).</summary>
    public string Flag { get; private set; } = "";

    /// <summary>Moves to the next flag; false at the end.</summary>
    public bool Next()
    {
        if (_index >= args.Count)
        {
            return false;
        }

        var arg = args[_index++];
        if (!arg.StartsWith('-') || arg == "-" || arg == "--")
        {
            throw new UsageException($"unexpected argument '{arg}'");
        }

        var equals = arg.IndexOf('=', StringComparison.Ordinal);
        (Flag, _inlineValue) = equals > 0 ? (arg[..equals], arg[(equals + 1)..]) : (arg, null);
        return true;
    }

    /// <summary>The flag's value (the next argument, or what follows <c>=</c>).</summary>
    public string Value()
    {
        if (_inlineValue is not null)
        {
            return _inlineValue;
        }

        if (_index >= args.Count || (args[_index].StartsWith("--", StringComparison.Ordinal) && args[_index].Length > 2))
        {
            throw new UsageException($"{Flag} needs a value");
        }

        return args[_index++];
    }

    /// <summary>A whole number in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public int Int(int min = 0, int max = int.MaxValue)
    {
        var value = Value();
        return int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max
            ? number
            : throw new UsageException($"{Flag}: '{value}' is not a whole number between {min} and {max}");
    }

    public int Port() => Int(1, 65535);

    /// <summary>A boolean flag: bare means true; <c>--flag=false</c> turns it off.</summary>
    public bool Bool() => _inlineValue?.ToLowerInvariant() switch
    {
        null or "true" => true,
        "false" => false,
        _ => throw new UsageException($"{Flag}: '{_inlineValue}' is not true or false"),
    };

    public UsageException Unknown() => new($"unknown flag {Flag} (see --help)");
}
