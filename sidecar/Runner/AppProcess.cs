using System.ComponentModel;
using System.Diagnostics;

namespace Sidecar.Runner;

/// <summary>
/// One app's command as a child process: started in its folder with its environment, output sent line by line to a
/// sink, and stopped with its whole process tree (SIGTERM, a grace period, then SIGKILL).
/// </summary>
internal sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly bool _ownGroup;

    private AppProcess(Process process, bool ownGroup)
    {
        _process = process;
        _ownGroup = ownGroup;
    }

    public int Pid => _process.Id;

    /// <summary>Completes with the exit code when the child exits.</summary>
    public Task<int> Exited { get; private set; } = Task.FromResult(0);

    /// <summary>How long an app gets to exit after SIGTERM before it is killed.</summary>
    public static TimeSpan GracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Starts <paramref name="app"/>'s command; throws <see cref="RunnerException"/> when it cannot start.</summary>
    public static AppProcess Start(AppPlan app, Action<string> output)
    {
        // setsid gives the app a process group of its own, so stopping reaches `dotnet run`'s grandchild too, and a
        // Ctrl+C in the terminal reaches only the runner, which then stops everything in order.
        var ownGroup = ProcessTree.SetSid is not null;
        var start = new ProcessStartInfo(ownGroup ? ProcessTree.SetSid! : app.Command[0])
        {
            WorkingDirectory = app.AppDirPath,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in ownGroup ? app.Command : app.Command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in app.ProcessEnvironment())
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
        process.OutputDataReceived += (_, e) => Forward(e.Data, output);
        process.ErrorDataReceived += (_, e) => Forward(e.Data, output);
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            process.Dispose();
            throw new RunnerException($"app '{app.AppId}': cannot start '{app.Command[0]}': {e.Message}");
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var appProcess = new AppProcess(process, ownGroup);
        appProcess.Exited = appProcess.WaitForExitCodeAsync();
        return appProcess;
    }

    private static void Forward(string? line, Action<string> output)
    {
        if (line is not null)
        {
            output(line);
        }
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

    /// <summary>Stops the app and everything it started: SIGTERM to all, then SIGKILL to what is left after the grace period.</summary>
    public async Task StopAsync()
    {
        if (!OperatingSystem.IsLinux())
        {
            KillTree();
            await Exited;
            return;
        }

        var targets = Members();
        foreach (var pid in targets)
        {
            ProcessTree.Signal(pid, ProcessTree.SigTerm);
        }

        var deadline = DateTime.UtcNow + GracePeriod;
        while (targets.Any(ProcessTree.IsAlive) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        foreach (var pid in targets.Concat(Members()).Distinct().Where(ProcessTree.IsAlive))
        {
            ProcessTree.Signal(pid, ProcessTree.SigKill);
        }

        KillTree();
        await Exited;
    }

    /// <summary>The app's processes: its process group when it has one, else the child and its descendants.</summary>
    private List<int> Members()
    {
        var members = _ownGroup ? ProcessTree.GroupMembers(_process.Id).ToList() : [];
        if (ProcessTree.IsAlive(_process.Id))
        {
            members.Add(_process.Id);
            members.AddRange(ProcessTree.Descendants(_process.Id));
        }

        return [.. members.Distinct()];
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

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
    }
}
