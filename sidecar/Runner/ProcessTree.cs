using System.Globalization;
using System.Runtime.InteropServices;

namespace Sidecar.Runner;

/// <summary>
/// Linux process facts read from <c>/proc</c>, and signals. An app started with <c>dotnet run</c> is a grandchild
/// of the runner, so stopping an app means signalling its whole process group, not just the child.
/// </summary>
internal static partial class ProcessTree
{
    public const int SigTerm = 15;
    public const int SigKill = 9;

    /// <summary>Where <c>setsid</c> lives, or null: with it each app runs in a process group of its own.</summary>
    public static string? SetSid { get; } = OperatingSystem.IsLinux()
        ? new[] { "/usr/bin/setsid", "/bin/setsid" }.FirstOrDefault(File.Exists)
        : null;

    /// <summary>Sends <paramref name="signal"/> to <paramref name="pid"/>; false when it no longer exists.</summary>
    public static bool Signal(int pid, int signal) => NativeMethods.Kill(pid, signal) == 0;

    /// <summary>Live (not zombie) processes whose process group is <paramref name="groupId"/>.</summary>
    public static IReadOnlyList<int> GroupMembers(int groupId) =>
        [.. ReadAll().Where(p => p.GroupId == groupId && p.State != 'Z').Select(p => p.Pid)];

    /// <summary>Live processes below <paramref name="pid"/> (children, grandchildren, ...).</summary>
    public static IReadOnlyList<int> Descendants(int pid)
    {
        var all = ReadAll().Where(p => p.State != 'Z').ToList();
        var found = new List<int>();
        var frontier = new Queue<int>([pid]);
        while (frontier.TryDequeue(out var parent))
        {
            foreach (var child in all.Where(p => p.ParentId == parent))
            {
                found.Add(child.Pid);
                frontier.Enqueue(child.Pid);
            }
        }

        return found;
    }

    /// <summary>True while <paramref name="pid"/> exists and is not a zombie.</summary>
    public static bool IsAlive(int pid) => OperatingSystem.IsLinux()
        ? Read(pid) is { State: not 'Z' }
        : NativeMethods.Kill(pid, 0) == 0;

    /// <summary>
    /// True while any live process is in group <paramref name="groupId"/>. Zombies do not count: where nothing reaps
    /// orphans (PID 1 of a container), a killed grandchild stays a zombie forever, yet runs nothing and holds no port.
    /// </summary>
    public static bool GroupAlive(int groupId) => OperatingSystem.IsLinux()
        ? GroupMembers(groupId).Count > 0
        : NativeMethods.Kill(-groupId, 0) == 0;

    /// <summary>The parent of <paramref name="pid"/> (Linux), or null.</summary>
    public static int? ParentOf(int pid) => Read(pid)?.ParentId;

    /// <summary>The command line of <paramref name="pid"/> (<c>/proc/pid/cmdline</c>), or null when it cannot be read.</summary>
    public static string? CommandLine(int pid)
    {
        try
        {
            var raw = File.ReadAllText($"/proc/{pid}/cmdline");
            var command = string.Join(' ', raw.Split('\0', StringSplitOptions.RemoveEmptyEntries));
            return command.Length > 0 ? command : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static IEnumerable<ProcStat> ReadAll()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && Read(pid) is { } stat)
            {
                yield return stat;
            }
        }
    }

    private static ProcStat? Read(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so read after the last ')'.
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        return new ProcStat(
            pid,
            fields[0][0],
            int.Parse(fields[1], CultureInfo.InvariantCulture),
            int.Parse(fields[2], CultureInfo.InvariantCulture));
    }

    private sealed record ProcStat(int Pid, char State, int ParentId, int GroupId);

    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
        public static extern int Kill(int pid, int signal);
    }
}
