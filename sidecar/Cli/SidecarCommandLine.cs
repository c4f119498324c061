namespace Sidecar.Cli;

/// <summary>Parses the command line and runs the multi-app runner or a single sidecar.</summary>
internal static class SidecarCommandLine
{
    public static Task<int> RunAsync(string[] args)
    {
        Console.Error.WriteLine($"dapr-local: not implemented yet ({string.Join(' ', args)})");
        return Task.FromResult(2);
    }
}
