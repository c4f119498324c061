namespace ServiceDefaults.State;

/// <summary>One round of an optimistic write: done (with its result), or lost to another writer and to be run again.</summary>
public readonly record struct Attempt<TResult>(bool Done, TResult? Result)
{
    /// <summary>The write was applied (or nothing needed writing).</summary>
    public static Attempt<TResult> Applied(TResult result) => new(true, result);

    /// <summary>Another writer got there first: read again and decide again.</summary>
    public static Attempt<TResult> Lost => new(false, default);
}
