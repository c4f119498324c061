using System.Diagnostics;
using System.Globalization;

namespace Sidecar.Runner;

/// <summary>
/// How long the start took, from the command the user typed: when <c>dotnet run --project sidecar</c> launched this
/// process, its own build check is part of the wait, so the clock starts when <c>dotnet run</c> did.
/// </summary>
internal static class StartClock
{
    /// <summary>"7.7 s after `dotnet run` started (5.4 s after dapr-local did)", or "5.4 s after dapr-local started".</summary>
    public static string Describe()
    {
        var now = DateTime.Now;
        var own = now - Process.GetCurrentProcess().StartTime;
        return DotnetRunParentStart() is { } parent
            ? $"{Seconds(now - parent)} s after `dotnet run` started ({Seconds(own)} s after dapr-local did)"
            : $"{Seconds(own)} s after dapr-local started";
    }

    private static DateTime? DotnetRunParentStart()
    {
        if (!OperatingSystem.IsLinux() || ProcessTree.ParentOf(Environment.ProcessId) is not { } parent)
        {
            return null;
        }

        var command = ProcessTree.CommandLine(parent)?.Split(' ');
        if (command is not { Length: > 1 } || Path.GetFileName(command[0]) != "dotnet" || command[1] != "run")
        {
            return null;
        }

        try
        {
            using var process = Process.GetProcessById(parent);
            return process.StartTime;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }

    private static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
}
