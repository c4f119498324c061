namespace LoadGen;

/// <summary>Resident memory of a process, from /proc (Linux).</summary>
internal static class ProcessMemory
{
    public static double? ResidentMegabytes(int pid)
    {
        var status = $"/proc/{pid}/status";
        if (!File.Exists(status))
        {
            return null;
        }

        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        var kilobytes = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        return kilobytes is null ? null : double.Parse(kilobytes, System.Globalization.CultureInfo.InvariantCulture) / 1024;
    }
}
