namespace Sidecar.Cli;

/// <summary>A command line that cannot be run: an unknown flag or a bad value. Answered with one line and exit 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
