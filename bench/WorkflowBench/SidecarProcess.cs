using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace WorkflowBench;

/// <summary>
/// The local sidecar as its own process (<c>dotnet dapr-local.dll --app-id ...</c>) with a SQLite actor state store in a
/// temporary folder, so its memory can be read from /proc apart from the benchmark's.
/// </summary>
internal sealed class SidecarProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _folder;

    private SidecarProcess(Process process, string folder, int grpcPort)
    {
        _process = process;
        _folder = folder;
        GrpcPort = grpcPort;
    }

    public int GrpcPort { get; }

    public int Pid => _process.Id;

    public static async Task<SidecarProcess> StartAsync(string sidecarDll)
    {
        if (!File.Exists(sidecarDll))
        {
            throw new FileNotFoundException($"{sidecarDll} not found; build it first: dotnet build sidecar -c Release");
        }

        var folder = Directory.CreateTempSubdirectory("wfbench-").FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "statestore.yaml"), $"""
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: statestore
            spec:
              type: state.sqlite
              version: v1
              metadata:
                - name: databaseFile
                  value: {Path.Combine(folder, "workflows.db")}
                - name: actorStateStore
                  value: "true"
            """);
        var (grpcPort, httpPort) = (FreePort(), FreePort());
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                sidecarDll, "--app-id", "wfbench", "--dapr-grpc-port", Invariant(grpcPort), "--dapr-http-port", Invariant(httpPort),
                "--resources-path", folder, "--data-dir", Path.Combine(folder, ".dapr"), "--log-level", "warn",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the sidecar process");
        // Drain its output so a full pipe never stalls it; warnings and errors are worth seeing.
        process.OutputDataReceived += (_, e) => Print(e.Data);
        process.ErrorDataReceived += (_, e) => Print(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var sidecar = new SidecarProcess(process, folder, grpcPort);
        await sidecar.WaitUntilHealthyAsync(httpPort);
        return sidecar;
    }

    /// <summary>Resident memory (VmRSS) of the sidecar process in MB.</summary>
    public double ResidentMegabytes()
    {
        var line = File.ReadLines($"/proc/{Pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task WaitUntilHealthyAsync(int httpPort)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the sidecar exited with code {_process.ExitCode} before it was healthy");
            }

            try
            {
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{httpPort}/v1.0/healthz"));
                if (response.IsSuccessStatusCode)
                {
                    return;
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

            await Task.Delay(100);
        }

        throw new TimeoutException("the sidecar was not healthy after 30 s");
    }

    private static void Print(string? line)
    {
        if (!string.IsNullOrEmpty(line))
        {
            Console.Error.WriteLine($"[sidecar] {line}");
        }
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
