using Sidecar.Hosting;
using Sidecar.Runner;

namespace Sidecar.Cli;

/// <summary>
/// Parses the command line and runs the multi-app runner (<c>run -f</c>) or a single sidecar (daprd flags).
/// Exit codes: 0 stopped cleanly, 1 failed (one line on stderr saying why), 2 bad command line.
/// </summary>
internal static class SidecarCommandLine
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args.Any(a => a is "--help" or "-h" or "help"))
        {
            Console.Out.WriteLine(Usage.Text);
            return args.Length == 0 ? 2 : 0;
        }

        var workingDirectory = Directory.GetCurrentDirectory();
        try
        {
            using var signal = new ShutdownSignal();
            if (args[0] == "configuration")
            {
                return await ConfigurationCommand.RunAsync(args[1..], workingDirectory);
            }

            if (args[0] == "run")
            {
                var settings = RunArguments.Parse(args[1..], workingDirectory);
                return await MultiAppRunner.RunAsync(settings, signal.Token, signal.Hurry);
            }

            // `-- command...` after the flags: the sidecar's app, started and supervised as in a run file.
            var separator = Array.IndexOf(args, "--");
            var flags = separator < 0 ? args : args[..separator];
            var (options, logLevel) = SingleSidecarArguments.Parse(flags, workingDirectory, Environment.GetEnvironmentVariable);
            if (separator < 0)
            {
                return await RunSingleAsync(options, logLevel, signal.Token);
            }

            var command = args[(separator + 1)..];
            if (command.Length == 0)
            {
                throw new UsageException("-- must be followed by the app's command");
            }

            var plan = SingleAppRun.Plan(options, logLevel, command, workingDirectory);
            var runSettings = new RunnerSettings(plan.RunFilePath) { NameRegistryFile = options.NameRegistryFile };
            return await MultiAppRunner.RunAsync(plan, runSettings, signal.Token, signal.Hurry);
        }
        catch (UsageException e)
        {
            await Console.Error.WriteLineAsync($"dapr-local: {e.Message}");
            return 2;
        }
        catch (Exception e) when (e is RunFileException or RunnerException)
        {
            await Console.Error.WriteLineAsync($"dapr-local: {e.Message}");
            return 1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // E.g. a log folder that cannot be created: still one line, after everything started was stopped.
            await Console.Error.WriteLineAsync($"dapr-local: {e.Message.ReplaceLineEndings(" ")}");
            return 1;
        }
    }

    private static async Task<int> RunSingleAsync(SidecarOptions options, string logLevel, CancellationToken stop)
    {
        var level = LineLoggerProvider.FromDaprLevel(logLevel);
        await using var network = new SidecarNetwork();
        SidecarHost host;
        try
        {
            host = await SidecarHost.StartAsync(
                options, network, logging => LineLoggerProvider.Configure(logging, Console.Out.WriteLine, level), stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return 0;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            await Console.Error.WriteLineAsync($"dapr-local: sidecar '{options.AppId}' failed to start: {e.Message.ReplaceLineEndings(" ")}");
            return 1;
        }

        await using (host)
        {
            Console.Out.WriteLine(
                $"dapr-local: sidecar '{options.AppId}' serving HTTP on {options.ListenAddress}:{options.HttpPort}, gRPC on {options.ListenAddress}:{options.GrpcPort}");
            var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var onStop = stop.Register(() => stopped.TrySetResult());
            using var onShutdown = host.Stopping.Register(() => stopped.TrySetResult());
            await stopped.Task;
        }

        return 0;
    }
}
