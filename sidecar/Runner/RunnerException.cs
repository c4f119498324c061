namespace Sidecar.Runner;

/// <summary>A run that cannot start or keep going; the message names the app, port or file at fault, on one line.</summary>
internal sealed class RunnerException(string message) : Exception(message);
