using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Sidecar.Tests.JsSdk;

/// <summary>
/// Runs one script of <c>tests/js-sdk</c> (the Dapr JS SDK, npm <c>@dapr/dapr</c>) with node, as <c>node script
/// http|grpc</c>, and reads the results it prints on its last line (<c>RESULT {json}</c>). Node and the folder's
/// <c>npm ci</c> are prerequisites: without them the test fails saying so, it is never skipped.
/// </summary>
internal static class NodeScript
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    /// <summary>The <c>tests/js-sdk</c> folder, found upwards from the test binaries (they run from the source tree).</summary>
    public static string Folder { get; } = FindFolder();

    public static async Task<JsResults> RunAsync(string script, string protocol, IReadOnlyDictionary<string, string> environment)
    {
        if (!File.Exists(Path.Combine(Folder, "node_modules", "@dapr", "dapr", "package.json")))
        {
            Assert.Fail($"The Dapr JS SDK is not installed: run `npm ci` in {Folder} (.ci/run does).");
        }

        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(protocol);
        // The scripts take their ports from the test, never from a developer's own Dapr settings.
        foreach (var inherited in new[] { "DAPR_API_TOKEN", "APP_API_TOKEN", "DAPR_HTTP_PORT", "DAPR_GRPC_PORT", "DAPR_HTTP_ENDPOINT", "DAPR_GRPC_ENDPOINT" })
        {
            start.Environment.Remove(inherited);
        }

        start.Environment["TIMEOUT_SECONDS"] = $"{(int)Timeout.TotalSeconds - 10}";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            Assert.Fail($"node could not be started ({ex.Message}): install Node.js 20 or later (.ci/run installs it on Debian).");
        }

        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.Fail($"node {script} {protocol} did not end within {Timeout.TotalSeconds}s.\n{await stderr}\n{await stdout}");
        }

        var output = await stdout;
        var line = output.Split('\n').LastOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal));
        if (process.ExitCode != 0 || line is null)
        {
            Assert.Fail($"node {script} {protocol} exited {process.ExitCode} without results.\nstderr:\n{await stderr}\nstdout:\n{output}");
        }

        using var document = JsonDocument.Parse(line["RESULT ".Length..]);
        return new JsResults($"{script} {protocol}", document.RootElement.Clone());
    }

    private static string FindFolder()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tests", "js-sdk");
            if (File.Exists(Path.Combine(candidate, "package.json")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"tests/js-sdk/package.json not found above {AppContext.BaseDirectory}");
    }
}

/// <summary>What one script's SDK calls returned: by call name, a value, or <c>{"error": "..."}</c>.</summary>
internal sealed class JsResults(string run, JsonElement results)
{
    /// <summary>The value the call returned; fails naming the call when it threw instead.</summary>
    public JsonElement Value(string call)
    {
        var value = Get(call);
        if (IsError(value))
        {
            Assert.Fail($"{run}: {call} failed: {value.GetProperty("error").GetString()}");
        }

        return value;
    }

    /// <summary>The value as text, compact JSON for anything but a string.</summary>
    public string Text(string call)
    {
        var value = Value(call);
        return value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
    }

    /// <summary>The error message of a call that must have failed; fails when it succeeded.</summary>
    public string Error(string call)
    {
        var value = Get(call);
        if (!IsError(value))
        {
            Assert.Fail($"{run}: {call} should have failed but returned {value.GetRawText()}");
        }

        return value.GetProperty("error").GetString()!;
    }

    /// <summary>Compact JSON of the value, for comparing whole answers.</summary>
    public string Json(string call) => Value(call).GetRawText();

    private JsonElement Get(string call) =>
        results.TryGetProperty(call, out var value)
            ? value
            : throw new Xunit.Sdk.XunitException($"{run}: no result for {call}; results: {results.GetRawText()}");

    private static bool IsError(JsonElement value) =>
        value.ValueKind == JsonValueKind.Object && value.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String
        && value.EnumerateObject().Count() == 1;

    public override string ToString() => new StringBuilder(run).Append(": ").Append(results.GetRawText()).ToString();
}
