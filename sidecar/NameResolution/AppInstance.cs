namespace Sidecar.NameResolution;

/// <summary>
/// One registered sidecar: the app id it serves, where its HTTP API listens, its other ports and the process it runs
/// in. <paramref name="InternalToken"/> is the secret another sidecar presents to invoke this one's app;
/// <paramref name="LastUpdate"/> is its last heartbeat (Unix milliseconds).
/// </summary>
public sealed record AppInstance(
    string RegistrationId,
    string AppId,
    string Host,
    int HttpPort,
    int GrpcPort,
    int? AppPort,
    int ProcessId,
    string InternalToken,
    long LastUpdate)
{
    /// <summary><c>host:port</c> of the sidecar's HTTP API, for messages (never the token).</summary>
    public string Address => $"{Host}:{HttpPort}";

    /// <summary>Never prints the token: records print their members, and instances appear in logs.</summary>
    public override string ToString() => $"{AppId} at {Address} (pid {ProcessId})";
}
