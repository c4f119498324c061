using System.Diagnostics;

namespace TestSupport;

/// <summary>
/// A real PostgreSQL (Debian's <c>postgresql</c> package, installed by <c>.ci/run</c>) started for a test: a new cluster
/// made by <c>initdb</c> in its own temporary directory, on a free loopback port, with its socket in that directory,
/// trusting local connections as user <c>postgres</c>. PostgreSQL refuses to run as root, so as root (CI) the cluster
/// belongs to the unprivileged <c>postgres</c> user and every command runs through <c>runuser -u postgres --</c>.
/// Disposing stops it (<c>pg_ctl stop -m immediate</c>) and deletes the directory.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private const string OsUser = "postgres";

    private readonly string _binDirectory;
    private readonly bool _asPostgresUser;

    private PostgresServer(string binDirectory, bool asPostgresUser, string directory, int port)
    {
        _binDirectory = binDirectory;
        _asPostgresUser = asPostgresUser;
        Directory = directory;
        Port = port;
    }

    /// <summary>The loopback port the server listens on.</summary>
    public int Port { get; }

    /// <summary>The temporary directory holding the cluster (<c>data/</c>), its socket and its log.</summary>
    public string Directory { get; }

    /// <summary>A connection string in pgx's keyword form, as Dapr's PostgreSQL components take it.</summary>
    public string ConnectionString => $"host=127.0.0.1 port={Port} user=postgres dbname=postgres sslmode=disable";

    private string DataDirectory => Path.Combine(Directory, "data");

    /// <summary>Creates a cluster and starts it; fails with a clear message when PostgreSQL is not installed.</summary>
    public static async Task<PostgresServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var bin = LocateBinDirectory();
        var asPostgresUser = Environment.UserName == "root";
        var directory = System.IO.Directory.CreateTempSubdirectory("postgres-test-").FullName;
        try
        {
            if (asPostgresUser)
            {
                await RunAsync("chown", [OsUser, directory], cancellationToken);
            }

            for (var attempt = 0; ; attempt++)
            {
                var server = new PostgresServer(bin, asPostgresUser, directory, FreePort.Next());
                if (attempt == 0)
                {
                    await server.PgAsync("initdb", ["-D", server.DataDirectory, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"], cancellationToken);
                }

                var started = await server.TryPgAsync("pg_ctl", [
                    "start", "-w", "-t", "30", "-D", server.DataDirectory, "-l", Path.Combine(directory, "postgres.log"),
                    "-o", $"-p {server.Port} -k {directory} -c listen_addresses=127.0.0.1 -F",
                ], cancellationToken);
                if (started is null)
                {
                    return server;
                }

                if (attempt == 4)
                {
                    throw new InvalidOperationException($"PostgreSQL did not start on a free port after 5 attempts: {started}");
                }
            }
        }
        catch
        {
            TryDelete(directory);
            throw;
        }
    }

    /// <summary>Stops the server at once (tests never need its data afterwards) and deletes its directory.</summary>
    public async ValueTask DisposeAsync()
    {
        await TryPgAsync("pg_ctl", ["stop", "-D", DataDirectory, "-m", "immediate", "-w"], CancellationToken.None);
        TryDelete(Directory);
    }

    private async Task PgAsync(string tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        if (await TryPgAsync(tool, arguments, cancellationToken) is { } error)
        {
            throw new InvalidOperationException($"{tool} failed: {error}");
        }
    }

    /// <summary>Runs a PostgreSQL tool (as <c>postgres</c> when root); null on success, else its output.</summary>
    private Task<string?> TryPgAsync(string tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var executable = Path.Combine(_binDirectory, tool);
        return _asPostgresUser
            ? TryRunAsync("runuser", ["-u", OsUser, "--", executable, .. arguments], cancellationToken)
            : TryRunAsync(executable, arguments, cancellationToken);
    }

    private static async Task RunAsync(string executable, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        if (await TryRunAsync(executable, arguments, cancellationToken) is { } error)
        {
            throw new InvalidOperationException($"{executable} failed: {error}");
        }
    }

    private static async Task<string?> TryRunAsync(string executable, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {executable}");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return process.ExitCode == 0 ? null : $"exit code {process.ExitCode}: {(await error).Trim()} {(await output).Trim()}".Trim();
    }

    /// <summary>The newest <c>/usr/lib/postgresql/&lt;version&gt;/bin</c> with <c>initdb</c> (not on PATH in Debian).</summary>
    private static string LocateBinDirectory()
    {
        const string root = "/usr/lib/postgresql";
        var bin = System.IO.Directory.Exists(root)
            ? System.IO.Directory.EnumerateDirectories(root)
                .Select(d => (Version: int.TryParse(Path.GetFileName(d), out var v) ? v : -1, Bin: Path.Combine(d, "bin")))
                .Where(d => d.Version >= 0 && File.Exists(Path.Combine(d.Bin, "initdb")))
                .OrderByDescending(d => d.Version)
                .Select(d => d.Bin)
                .FirstOrDefault()
            : null;
        if (bin is null)
        {
            throw new InvalidOperationException(
                "PostgreSQL is not installed (no /usr/lib/postgresql/<version>/bin/initdb): `apt-get install postgresql` (.ci/run installs it); tests start their own cluster");
        }

        if (Environment.UserName == "root" && !File.Exists("/usr/sbin/runuser") && !File.Exists("/usr/bin/runuser"))
        {
            throw new InvalidOperationException("PostgreSQL refuses to run as root and runuser is missing to run it as user postgres");
        }

        return bin;
    }

    private static void TryDelete(string directory)
    {
        try
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A file still held by a dying server; the OS temp cleaner takes it.
        }
    }
}
