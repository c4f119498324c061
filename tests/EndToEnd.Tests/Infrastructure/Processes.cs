using System.Globalization;
using System.Runtime.InteropServices;

namespace EndToEnd.Tests.Infrastructure;

/// <summary>Linux process facts from <c>/proc</c>, and signals, for checking that nothing is left running.</summary>
public static partial class Processes
{
    public const int SigInt = 2;
    public const int SigTerm = 15;
    public const int SigKill = 9;

    public static void Signal(int pid, int signal) => NativeMethods.Kill(pid, signal);

    /// <summary>True while the process exists and is not a zombie (a zombie runs nothing; it waits to be reaped).</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Live (not zombie) processes whose process group is <paramref name="groupId"/>.</summary>
    public static IReadOnlyList<int> GroupMembers(int groupId)
    {
        var members = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(System.IO.Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (fields[0] != "Z" && int.Parse(fields[2], CultureInfo.InvariantCulture) == groupId)
                {
                    members.Add(pid);
                }
            }
            catch (IOException)
            {
                // Gone while we looked.
            }
        }

        return members;
    }

    /// <summary>The process and everything below it.</summary>
    public static IReadOnlyList<int> TreeOf(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(System.IO.Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                parents[pid] = int.Parse(fields[1], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
                // Gone while we looked.
            }
        }

        var tree = new List<int> { root };
        for (var i = 0; i < tree.Count; i++)
        {
            tree.AddRange(parents.Where(p => p.Value == tree[i]).Select(p => p.Key));
        }

        return tree;
    }

    /// <summary>Polls until none of <paramref name="pids"/> is alive; returns those still alive when time ran out.</summary>
    public static async Task<IReadOnlyList<int>> WaitUntilGoneAsync(IEnumerable<int> pids, TimeSpan timeout)
    {
        var watched = pids.ToList();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var alive = watched.Where(IsAlive).ToList();
            if (alive.Count == 0 || clock.Elapsed > timeout)
            {
                return alive;
            }

            await Task.Delay(50);
        }
    }

    /// <summary>"pid: command" of each process, for failure messages.</summary>
    public static string Describe(IEnumerable<int> pids) =>
        string.Join("; ", pids.Select(pid =>
        {
            try
            {
                return $"{pid}: {File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim()}";
            }
            catch (IOException)
            {
                return $"{pid}: (gone)";
            }
        }));

    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
        public static extern int Kill(int pid, int signal);
    }
}
