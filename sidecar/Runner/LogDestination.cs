using System.Globalization;

namespace Sidecar.Runner;

/// <summary>
/// Where an app's or sidecar's lines go, per the run file's <c>appLogDestination</c>/<c>daprdLogDestination</c>:
/// the prefixed console, a file under <c>appDirPath/.dapr/logs/</c> (as the Dapr CLI names them), or both.
/// </summary>
internal sealed class LogDestination : IDisposable
{
    private readonly StreamWriter? _file;
    private readonly Action<string>? _console;
    private readonly Lock _lock = new();

    public LogDestination(string destination, Action<string> console, string appDirPath, string appId, string kind)
    {
        if (!string.Equals(destination, "file", StringComparison.OrdinalIgnoreCase))
        {
            _console = console;
        }

        if (!string.Equals(destination, "console", StringComparison.OrdinalIgnoreCase))
        {
            var folder = Directory.CreateDirectory(Path.Combine(appDirPath, ".dapr", "logs")).FullName;
            var stamp = DateTime.Now.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
            FilePath = Path.Combine(folder, $"{appId}_{kind}_{stamp}.log");
            _file = new StreamWriter(FilePath, append: true) { AutoFlush = true };
        }
    }

    /// <summary>The log file, when lines go to one.</summary>
    public string? FilePath { get; }

    public void WriteLine(string line)
    {
        _console?.Invoke(line);
        if (_file is not null)
        {
            lock (_lock)
            {
                _file.WriteLine(line);
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _file?.Dispose();
        }
    }
}
