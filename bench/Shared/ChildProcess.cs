using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Bench.Shared;

/// <summary>
/// A program the benchmark starts (<c>dotnet some.dll ...</c>) and kills at the end: its output is drained (warnings and
/// errors are printed, so a failing sidecar is visible) and its resident memory read from /proc.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Stopwatch _sinceStart = Stopwatch.StartNew();

    private ChildProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Starts <c>dotnet <paramref name="dll"/> <paramref name="arguments"/></c> with the extra environment; every line of its
    /// standard output goes to <paramref name="onLine"/> too.
    /// </summary>
    public static ChildProcess Start(
        string name, string dll, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, Action<string>? onLine = null)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {name}");
        // A full pipe would stall the child; only lines that look like trouble are worth showing.
        process.OutputDataReceived += (_, e) =>
        {
            PrintTrouble(name, e.Data);
            if (e.Data is { } line)
            {
                onLine?.Invoke(line);
            }
        };
        process.ErrorDataReceived += (_, e) => PrintTrouble(name, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ChildProcess(name, process);
    }

    /// <summary>Resident memory (VmRSS) in MB.</summary>
    public double ResidentMegabytes()
    {
        var line = File.ReadLines($"/proc/{Pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }

    /// <summary>Where the resident memory is: anonymous (heaps, stacks), file-backed (mapped assemblies), shared memory (JIT code under W^X).</summary>
    public string MemoryBreakdown()
    {
        string[] wanted = ["RssAnon", "RssFile", "RssShmem"];
        var status = File.ReadLines($"/proc/{Pid}/status").Select(l => l.Split(':', 2)).Where(p => p.Length == 2 && wanted.Contains(p[0]))
            .ToDictionary(p => p[0], p => double.Parse(p[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024);
        return string.Create(CultureInfo.InvariantCulture,
            $"anon {status.GetValueOrDefault("RssAnon"):F0} MB, files {status.GetValueOrDefault("RssFile"):F0} MB, shmem {status.GetValueOrDefault("RssShmem"):F0} MB");
    }

    /// <summary>CPU time (user and system) the process has used so far, from /proc/[pid]/stat.</summary>
    public TimeSpan CpuTime() => CpuTimeOf(Pid);

    /// <summary>CPU time (user and system) process <paramref name="pid"/> has used so far.</summary>
    public static TimeSpan CpuTimeOf(int pid)
    {
        // Fields after the command name (which may hold spaces, so split after its closing parenthesis): utime is the
        // 12th, stime the 13th, in clock ticks of 1/100 s on Linux.
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromMilliseconds(ticks * 10);
    }

    /// <summary>
    /// Polls <paramref name="url"/> until it answers 2xx and returns the time since the process was started; fails when
    /// the process exits first or after 60 s.
    /// </summary>
    public async Task<TimeSpan> WaitUntilAnswersAsync(Uri url)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode} before {url} answered");
            }

            try
            {
                using var response = await http.GetAsync(url);
                if (response.IsSuccessStatusCode)
                {
                    return _sinceStart.Elapsed;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Not answering yet.
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"{Name}: {url} did not answer within 60 s");
    }

    /// <summary>
    /// Stops the process as a terminal would (SIGTERM), so a sidecar unregisters its name and a runner stops its apps;
    /// after 10 s it and its children are killed.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _ = SendSignal(_process.Id, SigTerm);
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        _process.Dispose();
    }

    private const int SigTerm = 15;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    /// <summary>A free loopback port.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void PrintTrouble(string name, string? line)
    {
        if (!string.IsNullOrEmpty(line)
            && (line.Contains("fail", StringComparison.OrdinalIgnoreCase) || line.Contains("crit", StringComparison.OrdinalIgnoreCase)
                || line.Contains("error", StringComparison.OrdinalIgnoreCase) || line.Contains("exception", StringComparison.OrdinalIgnoreCase)
                || line.Contains("warn", StringComparison.OrdinalIgnoreCase)))
        {
            Console.Error.WriteLine($"[{name}] {line}");
        }
    }
}
