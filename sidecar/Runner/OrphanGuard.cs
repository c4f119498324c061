using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

namespace Sidecar.Runner;

/// <summary>
/// Makes sure no child outlives the runner, even a runner that is SIGKILLed and cleans up nothing.
/// <para>
/// Linux and macOS: a watchdog <c>sh</c>, in a session of its own (so a signal to the runner's group does not reach
/// it), reads <c>add</c>/<c>del</c> lines naming process groups on a pipe from the runner. The kernel closes the
/// runner's end of that pipe however the runner dies; the watchdog then sends SIGTERM to every group still listed and
/// SIGKILL a second later. Why not PR_SET_PDEATHSIG: it reaches only the direct child, not the app that
/// <c>dotnet run</c> starts below it, and it fires when the <em>thread</em> that started the child ends, which
/// thread-pool threads do.
/// </para>
/// <para>Windows: the runner puts itself in a job object that kills every process in it when its last handle closes.</para>
/// </summary>
internal sealed class OrphanGuard : IDisposable
{
    /// <summary>
    /// The watchdog: POSIX sh, with no output of its own (it must not hold the runner's stdout open). The first line
    /// is what <c>ps</c> shows of it.
    /// </summary>
    private const string Script = """
        # dapr-local watchdog: stops the runner's apps if the runner dies
        exec >/dev/null 2>&1
        trap '' INT TERM HUP
        targets=' '
        while read -r op target; do
          case $op in
            add) targets="$targets$target " ;;
            del) kept=' '; for t in $targets; do [ "$t" = "$target" ] || kept="$kept$t "; done; targets=$kept ;;
          esac
        done
        [ "$targets" = ' ' ] && exit 0
        for t in $targets; do kill -s TERM -- "$t"; done
        i=0
        while [ $i -lt 10 ]; do
          alive=''
          for t in $targets; do kill -s 0 -- "$t" && alive=1; done
          [ -z "$alive" ] && exit 0
          sleep 0.1
          i=$((i + 1))
        done
        for t in $targets; do kill -s KILL -- "$t"; done
        """;

    private readonly Lock _lock = new();
    private readonly HashSet<string> _targets = [];
    private Process? _watchdog;
    private bool _disposed;

    private OrphanGuard()
    {
    }

    /// <summary>Starts guarding; from here on, every process handed to <see cref="Watch"/> dies with the runner.</summary>
    public static OrphanGuard Start()
    {
        var guard = new OrphanGuard();
        if (OperatingSystem.IsWindows())
        {
            WindowsJob.KillChildrenWithThisProcess();
        }
        else
        {
            lock (guard._lock)
            {
                guard.StartWatchdog();
            }
        }

        return guard;
    }

    /// <summary>The watchdog's pid (Linux, macOS), for tests and diagnostics.</summary>
    public int? WatchdogPid
    {
        get
        {
            lock (_lock)
            {
                return _watchdog?.Id;
            }
        }
    }

    /// <summary>From now on, <paramref name="process"/> and its group are killed if the runner dies.</summary>
    public void Watch(SupervisedProcess process) => Send("add", Target(process));

    /// <summary><paramref name="process"/> is gone; its group id may be reused by someone else's process.</summary>
    public void Forget(SupervisedProcess process) => Send("del", Target(process));

    private static string Target(SupervisedProcess process) =>
        (process.GroupId is { } group ? -group : process.Pid).ToString(CultureInfo.InvariantCulture);

    private void Send(string op, string target)
    {
        lock (_lock)
        {
            if (_disposed || OperatingSystem.IsWindows())
            {
                return;
            }

            if (op == "add" ? !_targets.Add(target) : !_targets.Remove(target))
            {
                return;
            }

            if (_watchdog is null)
            {
                return;
            }

            try
            {
                _watchdog.StandardInput.WriteLine($"{op} {target}");
            }
            catch (IOException)
            {
                // The watchdog was killed: a new one, told about every group still running.
                StartWatchdog();
            }
        }
    }

    private void StartWatchdog()
    {
        _watchdog?.Dispose();
        var setsid = ProcessTree.SetSid;
        var start = new ProcessStartInfo(setsid ?? "/bin/sh") { RedirectStandardInput = true, UseShellExecute = false };
        if (setsid is not null)
        {
            start.ArgumentList.Add("/bin/sh");
        }

        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Script);
        var watchdog = new Process { StartInfo = start, EnableRaisingEvents = true };
        watchdog.Exited += (_, _) => Replace(watchdog);
        try
        {
            watchdog.Start();
        }
        catch (Win32Exception e)
        {
            watchdog.Dispose();
            throw new RunnerException($"cannot start the watchdog that stops the apps if the runner dies: {e.Message}");
        }

        watchdog.StandardInput.AutoFlush = true;
        foreach (var target in _targets)
        {
            watchdog.StandardInput.WriteLine($"add {target}");
        }

        _watchdog = watchdog;
    }

    /// <summary>A watchdog that died while the run goes on (someone killed it) is replaced at once, told every group.</summary>
    private void Replace(Process exited)
    {
        lock (_lock)
        {
            if (!_disposed && ReferenceEquals(_watchdog, exited))
            {
                try
                {
                    StartWatchdog();
                }
                catch (RunnerException)
                {
                    // No shell to start: the run goes on unguarded, as it would have without a watchdog at all.
                    _watchdog = null;
                }
            }
        }
    }

    /// <summary>Ends the watchdog: with nothing left listed it exits without touching anything.</summary>
    public void Dispose()
    {
        Process? watchdog;
        lock (_lock)
        {
            _disposed = true;
            watchdog = _watchdog;
            _watchdog = null;
        }

        if (watchdog is null)
        {
            return;
        }

        try
        {
            watchdog.StandardInput.Close();
        }
        catch (IOException)
        {
            // Already gone.
        }

        watchdog.WaitForExit(TimeSpan.FromSeconds(5));
        watchdog.Dispose();
    }
}
