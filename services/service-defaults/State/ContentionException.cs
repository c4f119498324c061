namespace ServiceDefaults.State;

/// <summary>
/// Every attempt of an optimistic write lost to another writer; nothing was written by this request. The exception
/// handler answers it with 503 problem details and <c>Retry-After</c>.
/// </summary>
public sealed class ContentionException(string key, int attempts)
    : Exception($"'{key}' was changed by other writers on each of {attempts} attempts; nothing was written.")
{
    /// <summary>The state key that stayed contended.</summary>
    public string Key { get; } = key;

    /// <summary>How many attempts were made.</summary>
    public int Attempts { get; } = attempts;
}
