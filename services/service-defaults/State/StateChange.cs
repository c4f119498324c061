namespace ServiceDefaults.State;

/// <summary>
/// What <see cref="OptimisticState.UpdateAsync{T, TResult}"/> should do with the value it read: keep it, or save
/// <see cref="Value"/> guarded by the ETag it was read with; <see cref="Result"/> is returned once that is done.
/// </summary>
public readonly record struct StateChange<T, TResult>(bool Save, T? Value, TResult Result)
{
    /// <summary>Write nothing and answer <paramref name="result"/>.</summary>
    public static StateChange<T, TResult> Keep(TResult result) => new(false, default, result);

    /// <summary>Write <paramref name="value"/> if nobody wrote the key since it was read, then answer <paramref name="result"/>.</summary>
    public static StateChange<T, TResult> Write(T value, TResult result) => new(true, value, result);
}
