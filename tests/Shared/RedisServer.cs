using System.Diagnostics;
using System.Net.Sockets;

namespace TestSupport;

/// <summary>
/// A real <c>redis-server</c> (Debian's package, installed by <c>.ci/run</c>) started for a test on a free loopback port
/// with its own temporary directory, and stopped with it. Never touches a server on 6379: every test owns its server.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly Process _process;

    private RedisServer(Process process, int port, string directory)
    {
        _process = process;
        Port = port;
        Directory = directory;
    }

    /// <summary>The loopback port the server listens on.</summary>
    public int Port { get; }

    /// <summary>The server's working directory (its RDB/AOF files live here).</summary>
    public string Directory { get; }

    /// <summary><c>host:port</c>, the form Dapr's <c>redisHost</c> metadata takes.</summary>
    public string Host => $"127.0.0.1:{Port}";

    /// <summary>
    /// Starts a server and waits until it answers PING. <paramref name="extraArguments"/> are passed as
    /// <c>--name value</c> pairs, e.g. <c>["--requirepass", "secret"]</c>.
    /// </summary>
    public static async Task<RedisServer> StartAsync(IEnumerable<string>? extraArguments = null, CancellationToken cancellationToken = default)
    {
        var executable = Locate();
        var directory = System.IO.Directory.CreateTempSubdirectory("redis-test-").FullName;
        for (var attempt = 0; ; attempt++)
        {
            var port = FreePort.Next();
            var start = new ProcessStartInfo(executable)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = directory,
            };
            foreach (var argument in new[]
                     {
                         "--port", port.ToString(), "--bind", "127.0.0.1", "--dir", directory, "--save", "",
                         "--appendonly", "no", "--daemonize", "no", "--protected-mode", "yes", "--loglevel", "warning",
                     }.Concat(extraArguments ?? []))
            {
                start.ArgumentList.Add(argument);
            }

            var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {executable}");
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var server = new RedisServer(process, port, directory);
            if (await server.WaitUntilListeningAsync(cancellationToken))
            {
                return server;
            }

            await server.StopProcessAsync();
            if (attempt == 4)
            {
                throw new InvalidOperationException($"redis-server did not start on a free port after 5 attempts (last: {port})");
            }
        }
    }

    /// <summary>Stops the server (SIGKILL: tests never need its data after they end) and removes its directory.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopProcessAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a dying process: the temp folder is cleaned by the OS later.
        }
    }

    private async Task StopProcessAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private async Task<bool> WaitUntilListeningAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                return false; // most likely the port was taken between drawing it and binding it
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", Port, cancellationToken);
                await using var stream = client.GetStream();
                await stream.WriteAsync("PING\r\n"u8.ToArray(), cancellationToken);
                var buffer = new byte[64];
                var read = await stream.ReadAsync(buffer, cancellationToken);
                // "+PONG" when ready, "-NOAUTH" when a password is set: both mean it is serving.
                if (read > 0 && (buffer[0] == (byte)'+' || buffer[0] == (byte)'-'))
                {
                    return true;
                }
            }
            catch (SocketException)
            {
                // Not listening yet.
            }

            await Task.Delay(50, cancellationToken);
        }

        return false;
    }

    private static string Locate()
    {
        foreach (var candidate in new[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server" })
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            "redis-server is not installed: `apt-get install redis-server` (.ci/run installs it); tests start their own server");
    }
}
