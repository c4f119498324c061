using System.Collections.Concurrent;
using System.Diagnostics;

namespace EndToEnd.Tests.Infrastructure;

/// <summary>
/// The built <c>dapr-local</c> started as a real process (<c>dotnet dapr-local.dll ...</c>), its output captured line
/// by line. Disposing kills it (and its tree) if it is still running.
/// </summary>
public sealed class DaprLocal : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();
    private readonly Lock _lock = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Found)> _waiters = [];

    private readonly string? _ownRegistryFolder;

    private DaprLocal(Process process, string? ownRegistryFolder)
    {
        _process = process;
        _ownRegistryFolder = ownRegistryFolder;
    }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public IReadOnlyList<string> Stdout => [.. _stdout];

    public IReadOnlyList<string> Stderr => [.. _stderr];

    /// <summary>The built <c>dapr-local.dll</c>: the copy beside the tests (same build), else the sidecar's own output.</summary>
    public static string DllPath
    {
        get
        {
            var beside = Path.Combine(AppContext.BaseDirectory, "dapr-local.dll");
            if (File.Exists(beside) && File.Exists(Path.Combine(AppContext.BaseDirectory, "dapr-local.runtimeconfig.json")))
            {
                return beside;
            }

            return Path.Combine(RepoRoot.Path, "sidecar", "bin", "Debug", "net10.0", "dapr-local.dll");
        }
    }

    /// <summary>The variable that points dapr-local at a name registry file.</summary>
    public const string NameRegistryVariable = "DAPR_LOCAL_NAME_REGISTRY";

    public static DaprLocal Start(string workingDirectory, params string[] args) =>
        Start(workingDirectory, new Dictionary<string, string>(), args);

    /// <summary>
    /// Starts dapr-local with <paramref name="environment"/> added to its own; the apps it starts inherit it. Unless
    /// <paramref name="environment"/> names a name registry (<c>DAPR_LOCAL_NAME_REGISTRY</c>), the process gets one of
    /// its own, so no test finds another test's sidecars (or a person's, in <c>~/.dapr/nr.db</c>).
    /// </summary>
    public static DaprLocal Start(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args) =>
        StartCommand(workingDirectory, environment, ["dotnet", DllPath], args);

    /// <summary>
    /// Starts dapr-local the way the README tells people to, <c>dotnet run --project sidecar -- ...</c> (without the
    /// build check: the tests run on a built tree), under <c>setsid</c> so that <see cref="Pid"/> leads a process group
    /// of its own that a test can signal as a terminal, an IDE or <c>timeout</c> would.
    /// </summary>
    public static DaprLocal StartThroughDotnetRun(string workingDirectory, params string[] args) =>
        StartCommand(workingDirectory, new Dictionary<string, string>(),
            ["setsid", "dotnet", "run", "--no-build", "--project", System.IO.Path.Combine(RepoRoot.Path, "sidecar"), "--"], args);

    /// <summary>The built dapr-local under <c>setsid</c>: <see cref="Pid"/> leads its own process group.</summary>
    public static DaprLocal StartInOwnGroup(string workingDirectory, params string[] args) =>
        StartCommand(workingDirectory, new Dictionary<string, string>(), ["setsid", "dotnet", DllPath], args);

    /// <summary>Starts <paramref name="launcher"/> followed by dapr-local's own <paramref name="args"/>.</summary>
    private static DaprLocal StartCommand(
        string workingDirectory, IReadOnlyDictionary<string, string> environment, IReadOnlyList<string> launcher, IReadOnlyList<string> args)
    {
        IReadOnlyList<string> command = [.. launcher, .. args];
        var start = new ProcessStartInfo(command[0])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in command.Skip(1))
        {
            start.ArgumentList.Add(arg);
        }

        // A run starts the Aspire Dashboard by default; tests ask for it by name (--dashboard) where they test it.
        if (args is ["run", ..] && !args.Any(a => a.StartsWith("--dashboard", StringComparison.Ordinal) || a == "--no-dashboard"))
        {
            start.ArgumentList.Add("--no-dashboard");
        }

        start.Environment.Remove("DAPR_API_TOKEN");
        start.Environment.Remove("APP_API_TOKEN");
        string? ownRegistryFolder = null;
        if (!environment.ContainsKey(NameRegistryVariable))
        {
            ownRegistryFolder = Directory.CreateTempSubdirectory("dapr-local-nr-").FullName;
            start.Environment[NameRegistryVariable] = System.IO.Path.Combine(ownRegistryFolder, "nr.db");
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start };
        var daprLocal = new DaprLocal(process, ownRegistryFolder);
        process.OutputDataReceived += (_, e) => daprLocal.Received(e.Data, daprLocal._stdout);
        process.ErrorDataReceived += (_, e) => daprLocal.Received(e.Data, daprLocal._stderr);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return daprLocal;
    }

    private void Received(string? line, ConcurrentQueue<string> into)
    {
        if (line is null)
        {
            return;
        }

        into.Enqueue(line);
        lock (_lock)
        {
            foreach (var waiter in _waiters.Where(w => w.Match(line)).ToList())
            {
                waiter.Found.TrySetResult(line);
                _waiters.Remove(waiter);
            }
        }
    }

    /// <summary>Waits for a stdout line containing <paramref name="text"/>; fails with the output so far on timeout.</summary>
    public async Task<string> WaitForLineAsync(string text, TimeSpan timeout)
    {
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            var existing = _stdout.FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal));
            if (existing is not null)
            {
                return existing;
            }

            _waiters.Add((l => l.Contains(text, StringComparison.Ordinal), found));
        }

        var exited = _process.WaitForExitAsync();
        var first = await Task.WhenAny(found.Task, exited, Task.Delay(timeout));
        return first == found.Task
            ? await found.Task
            : throw new TimeoutException($"no line containing '{text}' ({(first == exited ? "process exited" : "timed out")}); output:\n{Output}");
    }

    /// <summary>Waits for the process to exit; returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"dapr-local did not exit within {timeout}; output:\n{Output}");
        }

        return _process.ExitCode;
    }

    public string Output => $"stdout:\n{string.Join('\n', _stdout)}\nstderr:\n{string.Join('\n', _stderr)}";

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // Let dapr-local stop its apps itself first; kill the tree only if it does not.
            Processes.Signal(_process.Id, Processes.SigTerm);
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(15));
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
        if (_ownRegistryFolder is not null)
        {
            try
            {
                Directory.Delete(_ownRegistryFolder, recursive: true);
            }
            catch (IOException)
            {
                // The OS temp cleaner takes it.
            }
        }
    }
}
