namespace Sidecar.Runner;

/// <summary>What the supervisor starts: a named command in a folder, with changes to the runner's environment.</summary>
/// <param name="Name">How the runner's messages name it (an app id, <c>build</c>).</param>
/// <param name="Command">The program and its arguments.</param>
/// <param name="WorkingDirectory">Where it runs.</param>
internal sealed record ProcessLaunch(string Name, IReadOnlyList<string> Command, string WorkingDirectory)
{
    /// <summary>Variables to set; a null value removes the variable the runner would otherwise pass on.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();
}
