using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace Sidecar.Tests.Infrastructure;

/// <summary>
/// One sidecar as a real process, started as daprd is (<c>dotnet dapr-local.dll --app-id ... --resources-path ...</c>,
/// the build copied beside the tests), for what an in-process sidecar cannot show: a crash. Disposing kills it.
/// </summary>
public sealed class SidecarProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private SidecarProcess(Process process, int httpPort)
    {
        _process = process;
        HttpPort = httpPort;
    }

    public int HttpPort { get; }

    public string Output => string.Join('\n', _output);

    public static SidecarProcess Start(string appId, int appPort, string resourcesPath)
    {
        var httpPort = FreePort.Next();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = resourcesPath,
        };
        foreach (var argument in new[]
                 {
                     Path.Combine(AppContext.BaseDirectory, "dapr-local.dll"), "--app-id", appId, "--app-port", $"{appPort}",
                     "--dapr-http-port", $"{httpPort}", "--dapr-grpc-port", $"{FreePort.Next()}", "--resources-path", resourcesPath,
                 })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("DAPR_API_TOKEN");
        start.Environment.Remove("APP_API_TOKEN");
        // Its own name registry: no test (or person, in ~/.dapr/nr.db) finds this sidecar, nor it theirs.
        start.Environment["DAPR_LOCAL_NAME_REGISTRY"] = Path.Combine(resourcesPath, "nr.db");
        var process = new Process { StartInfo = start };
        var sidecar = new SidecarProcess(process, httpPort);
        process.OutputDataReceived += (_, e) => { if (e.Data is { } line) { sidecar._output.Enqueue(line); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) { sidecar._output.Enqueue(line); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return sidecar;
    }

    /// <summary>Waits until the sidecar's metadata lists a subscription to <paramref name="topic"/> (it is delivering).</summary>
    public async Task WaitUntilSubscribedAsync(string topic, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            try
            {
                var metadata = await http.GetFromJsonAsync<JsonElement>($"http://127.0.0.1:{HttpPort}/v1.0/metadata");
                if (metadata.TryGetProperty("subscriptions", out var subscriptions)
                    && subscriptions.EnumerateArray().Any(s => s.GetProperty("topic").GetString() == topic))
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not serving yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"the sidecar did not subscribe to '{topic}' (exited: {_process.HasExited}); output:\n{Output}");
    }

    /// <summary>SIGKILL: no shutdown code runs, nothing is acknowledged on the way out.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
