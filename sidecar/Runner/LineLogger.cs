namespace Sidecar.Runner;

/// <summary>Sends a sidecar's log lines to a line sink (the prefixed console, a log file) as <c>level: category: message</c>.</summary>
internal sealed class LineLoggerProvider(Action<string> sink, LogLevel minimum) : ILoggerProvider
{
    /// <summary>
    /// Sends a sidecar's logs to <paramref name="sink"/>. Below debug, ASP.NET's per-request and start-up lines are
    /// left out: like daprd, the sidecar logs what it does, not every call it serves.
    /// </summary>
    public static void Configure(ILoggingBuilder logging, Action<string> sink, LogLevel minimum)
    {
        logging.SetMinimumLevel(minimum);
        if (minimum > LogLevel.Debug)
        {
            logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
            logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        }

        logging.AddProvider(new LineLoggerProvider(sink, minimum));
    }

    public ILogger CreateLogger(string categoryName) => new LineLogger(sink, minimum, categoryName);

    public void Dispose()
    {
    }

    private sealed class LineLogger(Action<string> sink, LogLevel minimum, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= minimum;

        public void Log<TState>(
            LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var message = formatter(state, exception);
            sink(exception is null
                ? $"{Level(logLevel)}: {category}: {message}"
                : $"{Level(logLevel)}: {category}: {message}\n{exception}");
        }

        private static string Level(LogLevel level) => level switch
        {
            LogLevel.Trace => "trce",
            LogLevel.Debug => "dbug",
            LogLevel.Information => "info",
            LogLevel.Warning => "warn",
            LogLevel.Error => "fail",
            _ => "crit",
        };
    }

    /// <summary>The Dapr <c>logLevel</c> names (debug, info, warn, error, fatal) as a minimum level.</summary>
    public static LogLevel FromDaprLevel(string level) => level.ToLowerInvariant() switch
    {
        "debug" => LogLevel.Debug,
        "warn" => LogLevel.Warning,
        "error" => LogLevel.Error,
        "fatal" => LogLevel.Critical,
        _ => LogLevel.Information,
    };
}
