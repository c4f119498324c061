namespace TestDoubles;

/// <summary>
/// Deterministic races: run a whole other operation between one caller's read and what it does next, the window
/// ETag concurrency exists for, without depending on thread timing.
/// </summary>
public sealed partial class FakeDaprClient
{
    private Func<Task>? _interleave;
    private int _readsUntilInterleave;

    /// <summary>Whether an interleaving was asked for and has not run yet (the reader made fewer reads than asked).</summary>
    public bool InterleavePending
    {
        get
        {
            lock (_gate)
            {
                return _interleave is not null;
            }
        }
    }

    /// <summary>
    /// After the <paramref name="nthRead"/>-th state read from now (GetState, GetStateAndETag, GetBulkState) has read,
    /// and before its caller gets the answer, runs <paramref name="between"/> to completion, once. Reads made by
    /// <paramref name="between"/> itself do not count.
    /// </summary>
    public void InterleaveAfterRead(int nthRead, Func<Task> between)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nthRead, 1);
        lock (_gate)
        {
            _readsUntilInterleave = nthRead;
            _interleave = between;
        }
    }

    private async Task<T> Read<T>(Func<T> read)
    {
        var result = await Run(read);
        Func<Task>? between = null;
        lock (_gate)
        {
            if (_interleave is not null && --_readsUntilInterleave == 0)
            {
                (between, _interleave) = (_interleave, null);
            }
        }

        if (between is not null)
        {
            await between();
        }

        return result;
    }
}
