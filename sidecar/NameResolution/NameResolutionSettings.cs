namespace Sidecar.NameResolution;

/// <summary>
/// Where sidecars of different processes find each other: a SQLite registry file, how long a registration lives without
/// a heartbeat (<see cref="UpdateInterval"/>, as components-contrib's <c>nameresolution.sqlite</c> calls it) and how long
/// one query may wait on a busy database (<see cref="Timeout"/>).
/// </summary>
public sealed record NameResolutionSettings(string DatabaseFile, TimeSpan UpdateInterval, TimeSpan Timeout)
{
    /// <summary>contrib's defaults: a registration expires 5 s after its last heartbeat; queries wait at most 1 s.</summary>
    public static readonly TimeSpan DefaultUpdateInterval = TimeSpan.FromSeconds(5);

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(1);

    /// <summary>The default registry of a user: <c>~/.dapr/nr.db</c>, beside the Dapr CLI's own files.</summary>
    public static string DefaultDatabaseFile =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dapr", "nr.db");

    /// <summary>Environment variable that moves the default registry (tests give each run its own file).</summary>
    public const string DatabaseFileVariable = "DAPR_LOCAL_NAME_REGISTRY";

    /// <summary>
    /// How often a sidecar renews its registration: well inside <see cref="UpdateInterval"/>, leaving room for a renewal
    /// that waits <see cref="Timeout"/> on a busy database.
    /// </summary>
    public TimeSpan HeartbeatInterval =>
        TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(250).Ticks, (UpdateInterval - Timeout).Ticks / 2));

    /// <summary>The settings with the defaults for <paramref name="databaseFile"/>.</summary>
    public static NameResolutionSettings For(string databaseFile) =>
        new(Path.GetFullPath(databaseFile), DefaultUpdateInterval, DefaultTimeout);
}
