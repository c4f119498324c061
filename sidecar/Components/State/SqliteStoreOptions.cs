namespace Sidecar.Components.State;

/// <summary>How a <see cref="SqliteStateStore"/> uses its database, from the component's metadata.</summary>
internal sealed record SqliteStoreOptions
{
    /// <summary><c>busyTimeout</c>: how long a statement waits for another writer's lock (PRAGMA busy_timeout).</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>WAL, DELETE (<c>disableWAL</c>, read-only databases) or MEMORY (in-memory databases).</summary>
    public string JournalMode { get; init; } = "WAL";

    /// <summary><c>_pragma=name(value)</c> options of the connection string, set on every connection.</summary>
    public IReadOnlyList<(string Name, string Value)> Pragmas { get; init; } = [];

    /// <summary><c>cleanupInterval</c>: how often expired rows are deleted; zero leaves it to the writes.</summary>
    public TimeSpan CleanupInterval { get; init; }

    /// <summary>An in-memory database: one connection stays open, or the database would vanish between calls.</summary>
    public bool InMemory { get; init; }

    /// <summary><c>mode=ro</c> or <c>immutable=1</c>: the table is not created and nothing is written.</summary>
    public bool ReadOnly { get; init; }
}
