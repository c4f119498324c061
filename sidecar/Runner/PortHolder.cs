using System.Globalization;

namespace Sidecar.Runner;

/// <summary>
/// Which process holds a TCP port, read from <c>/proc</c> on Linux: the socket's inode from <c>/proc/net/tcp</c> and
/// <c>tcp6</c>, then the process with that socket among its file descriptors. Null wherever the system will not say
/// (another OS, or a process of another user that this one may not look into).
/// </summary>
internal static class PortHolder
{
    private const string Listen = "0A";

    /// <summary>"pid 1234: python3 -m http.server 5101", or null when the holder cannot be found.</summary>
    public static string? Describe(int port)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var inodes = SocketInodes(port);
        if (inodes.Count == 0)
        {
            return null;
        }

        var holders = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var pid in Pids())
        {
            foreach (var inode in SocketsOf(pid).Where(inodes.Contains))
            {
                holders.TryAdd(inode, pid);
            }
        }

        foreach (var inode in inodes)
        {
            if (holders.TryGetValue(inode, out var pid))
            {
                return ProcessTree.CommandLine(pid) is { } command ? $"pid {pid}: {command}" : $"pid {pid}";
            }
        }

        return null;
    }

    /// <summary>Inodes of sockets bound to <paramref name="port"/>, listening ones first.</summary>
    private static List<string> SocketInodes(int port)
    {
        var found = new List<(bool Listening, string Inode)>();
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            string[] lines;
            try
            {
                lines = File.ReadAllLines(table);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            // "sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ..."
            foreach (var line in lines.Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length < 10)
                {
                    continue;
                }

                var local = fields[1];
                var localPort = int.Parse(local[(local.LastIndexOf(':') + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                if (localPort == port && fields[9] != "0")
                {
                    found.Add((fields[3] == Listen, fields[9]));
                }
            }
        }

        return [.. found.OrderByDescending(f => f.Listening).Select(f => f.Inode).Distinct()];
    }

    private static IEnumerable<int> Pids() =>
        Directory.EnumerateDirectories("/proc")
            .Select(Path.GetFileName)
            .Select(name => int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : 0)
            .Where(pid => pid > 0);

    /// <summary>The inodes of the sockets <paramref name="pid"/> has open (<c>socket:[inode]</c> links under fd/).</summary>
    private static List<string> SocketsOf(int pid)
    {
        var sockets = new List<string>();
        try
        {
            foreach (var fd in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
            {
                var target = new FileInfo(fd).LinkTarget;
                if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal))
                {
                    sockets.Add(target[8..^1]);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Gone while we looked, or not ours to look into.
        }

        return sockets;
    }
}
