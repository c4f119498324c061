using System.ComponentModel;
using System.Diagnostics;

namespace Sidecar.Runner;

/// <summary>
/// One child process of the runner (an app, the build): started in a process group of its own, its output sent line
/// by line to a sink and its last lines kept, and stopped with everything it started (SIGTERM to the group, a grace
/// period, then SIGKILL).
/// </summary>
internal sealed class SupervisedProcess : IDisposable
{
    private const int KeptLines = 20;

    private readonly Process _process;
    private readonly bool _ownGroup;
    private readonly RecentLines _recent = new(KeptLines);
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stderrClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SupervisedProcess(string name, Process process, bool ownGroup)
    {
        Name = name;
        _process = process;
        _ownGroup = ownGroup;
        Pid = process.Id;
        Exited = WaitForExitCodeAsync();
    }

    public string Name { get; }

    public int Pid { get; }

    /// <summary>The process group it leads (its pid), or null where it shares the runner's group.</summary>
    public int? GroupId => _ownGroup ? Pid : null;

    /// <summary>Completes with the exit code when the child exits (128 + the signal when a signal ended it).</summary>
    public Task<int> Exited { get; }

    /// <summary>
    /// Completes when its stdout and stderr have both ended: the exit of the child comes first, and its last lines may
    /// still be on their way. A grandchild that keeps the pipes open keeps this from completing.
    /// </summary>
    public Task OutputEnded => Task.WhenAll(_stdoutClosed.Task, _stderrClosed.Task);

    /// <summary>The last lines it wrote, oldest first.</summary>
    public IReadOnlyList<string> RecentOutput => _recent.Snapshot();

    /// <summary>Starts <paramref name="launch"/>; throws <see cref="RunnerException"/> when it cannot start.</summary>
    public static SupervisedProcess Start(ProcessLaunch launch, Action<string> output)
    {
        // setsid gives the child a process group of its own, so stopping reaches `dotnet run`'s grandchild too, and a
        // Ctrl+C in the terminal reaches only the runner, which then stops everything in order.
        var ownGroup = ProcessTree.SetSid is not null;
        var start = new ProcessStartInfo(ownGroup ? ProcessTree.SetSid! : launch.Command[0])
        {
            WorkingDirectory = launch.WorkingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in ownGroup ? launch.Command : launch.Command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in launch.Environment)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            process.Dispose();
            throw new RunnerException($"{launch.Name}: cannot start '{launch.Command[0]}': {e.Message}");
        }

        var supervised = new SupervisedProcess(launch.Name, process, ownGroup);
        process.OutputDataReceived += (_, e) => supervised.Forward(e.Data, output, supervised._stdoutClosed);
        process.ErrorDataReceived += (_, e) => supervised.Forward(e.Data, output, supervised._stderrClosed);
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return supervised;
    }

    private void Forward(string? line, Action<string> output, TaskCompletionSource closed)
    {
        if (line is null)
        {
            closed.TrySetResult();
            return;
        }

        _recent.Add(line);
        output(line);
    }

    /// <summary>
    /// Completes when the child itself exits. Not <see cref="Process.WaitForExitAsync"/>: that also waits for the output
    /// pipes to close, which never happens while a grandchild the app left behind still holds them.
    /// </summary>
    private Task<int> WaitForExitCodeAsync()
    {
        var exited = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        _process.Exited += (_, _) => exited.TrySetResult(_process.ExitCode);
        if (_process.HasExited)
        {
            exited.TrySetResult(_process.ExitCode);
        }

        return exited.Task;
    }

    /// <summary>True while the child or anything in its process group still runs.</summary>
    public bool IsRunning => !Exited.IsCompleted || (GroupId is { } group && ProcessTree.GroupAlive(group));

    /// <summary>
    /// Stops the process and everything it started: SIGTERM to all, then SIGKILL to what is left once
    /// <paramref name="grace"/> has passed or <paramref name="hurry"/> fires. True when nothing of it is left.
    /// </summary>
    public async Task<bool> StopAsync(TimeSpan grace, CancellationToken hurry)
    {
        if (OperatingSystem.IsWindows())
        {
            KillTree();
            await Exited;
            return true;
        }

        var targets = Members();
        Signal(targets, ProcessTree.SigTerm);
        await WaitUntilGoneAsync(grace, hurry);

        if (IsRunning)
        {
            Signal([.. targets.Concat(Members()).Distinct()], ProcessTree.SigKill);
            KillTree();
        }

        // SIGKILL cannot be ignored; what is left after this waits on the kernel (a process stuck in I/O).
        await WaitUntilGoneAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
        return !IsRunning;
    }

    private async Task WaitUntilGoneAsync(TimeSpan limit, CancellationToken hurry)
    {
        var deadline = Stopwatch.StartNew();
        while (IsRunning && deadline.Elapsed < limit && !hurry.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(50, hurry);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>What to signal: the group when the child leads one, plus the child and its descendants that left it.</summary>
    private List<int> Members()
    {
        var members = new List<int>();
        if (GroupId is { } group)
        {
            members.Add(-group);
        }

        if (ProcessTree.IsAlive(Pid))
        {
            members.Add(Pid);
            if (OperatingSystem.IsLinux())
            {
                members.AddRange(ProcessTree.Descendants(Pid));
            }
        }

        return members;
    }

    private static void Signal(IReadOnlyList<int> targets, int signal)
    {
        foreach (var target in targets)
        {
            ProcessTree.Signal(target, signal);
        }
    }

    private void KillTree()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    public void Dispose() => _process.Dispose();
}
