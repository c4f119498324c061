using System.Globalization;

namespace WorkflowBench;

/// <summary>Command-line options: <c>--workflows N --concurrency C --mode chained|parallel|memory|all --sidecar PATH</c>.</summary>
internal sealed record BenchOptions(int Workflows, int Concurrency, string Mode, string SidecarDll)
{
    public static readonly string[] Modes = ["chained", "parallel", "memory", "all"];

    public const string Usage =
        "usage: WorkflowBench [--workflows 2000] [--concurrency 100] [--mode chained|parallel|memory|all] [--sidecar sidecar/bin/Release/net10.0/dapr-local.dll]";

    /// <summary>The options, or null (after printing why) when the command line is wrong.</summary>
    public static BenchOptions? Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                Console.Error.WriteLine($"'{args[i]}' needs a value. {Usage}");
                return null;
            }

            values[args[i][2..]] = args[i + 1];
        }

        var mode = values.GetValueOrDefault("mode", "all");
        if (!Modes.Contains(mode) || values.Keys.Except(["workflows", "concurrency", "mode", "sidecar"]).FirstOrDefault() is { } unknown)
        {
            Console.Error.WriteLine($"unknown option or mode. {Usage}");
            return null;
        }

        return new BenchOptions(
            int.Parse(values.GetValueOrDefault("workflows", "2000"), CultureInfo.InvariantCulture),
            int.Parse(values.GetValueOrDefault("concurrency", "100"), CultureInfo.InvariantCulture),
            mode,
            Path.GetFullPath(values.GetValueOrDefault("sidecar", "sidecar/bin/Release/net10.0/dapr-local.dll")));
    }
}
