namespace Sidecar.Runner;

/// <summary>
/// Interleaves the output of every app, sidecar and the runner on one writer, each line prefixed with its source
/// (<c>catalog  | ...</c>). Prefixes are coloured only when writing to a terminal, so redirected logs stay plain text.
/// </summary>
internal sealed class OutputPrefixer(TextWriter output, bool colour, int width)
{
    private static readonly string[] Colours = ["36", "35", "33", "32", "34", "96", "95", "93", "92", "94"];

    private readonly Lock _lock = new();
    private readonly Dictionary<string, string> _prefixes = new(StringComparer.Ordinal);

    /// <summary>For the console: colour when stdout is a terminal.</summary>
    public static OutputPrefixer ForConsole(IEnumerable<string> names) =>
        new(Console.Out, !Console.IsOutputRedirected, names.Max(n => n.Length));

    /// <summary>A sink that writes each line under <paramref name="name"/>.</summary>
    public Action<string> Sink(string name)
    {
        var prefix = Prefix(name);
        return line => Write(prefix, line);
    }

    /// <summary>Writes one line (or several, each prefixed) under <paramref name="name"/>.</summary>
    public void WriteLine(string name, string line) => Write(Prefix(name), line);

    private string Prefix(string name)
    {
        lock (_lock)
        {
            if (!_prefixes.TryGetValue(name, out var prefix))
            {
                var padded = $"{name.PadRight(width)} | ";
                prefix = colour ? $"\u001b[{Colours[_prefixes.Count % Colours.Length]}m{padded}\u001b[0m" : padded;
                _prefixes[name] = prefix;
            }

            return prefix;
        }
    }

    private void Write(string prefix, string text)
    {
        lock (_lock)
        {
            foreach (var line in text.Split('\n'))
            {
                output.Write(prefix);
                output.WriteLine(line.TrimEnd('\r'));
            }

            output.Flush();
        }
    }
}
