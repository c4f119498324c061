using System.Collections.Concurrent;
using System.Threading.Channels;
using Dapr.DurableTask.Protobuf;

namespace Sidecar.Workflow.Engine;

/// <summary>
/// Hands work items to connected workers (each <c>GetWorkItems</c> stream takes the next free item). An item sent
/// and not completed is requeued when its stream ends, so a worker that disconnects loses nothing; items whose
/// instance no longer wants them (<see cref="PendingWorkItem.IsLive"/>) are dropped instead of sent.
/// </summary>
internal sealed partial class WorkItemDispatcher(ILogger<WorkItemDispatcher> logger) : Metadata.IWorkflowWorkerCount
{
    private int _connected;

    private readonly Channel<PendingWorkItem> _queue = Channel.CreateUnbounded<PendingWorkItem>();
    private readonly ConcurrentDictionary<string, PendingWorkItem> _sent = new(StringComparer.Ordinal);

    /// <summary>The <c>GetWorkItems</c> streams open now (the metadata API's <c>workflows.connectedWorkers</c>).</summary>
    public int ConnectedWorkers => Volatile.Read(ref _connected);

    /// <summary>Queues an item for the next free worker.</summary>
    public void Enqueue(WorkItem item, Func<bool> isLive) => _queue.Writer.TryWrite(new PendingWorkItem(item, isLive));

    /// <summary>The work item of <paramref name="completionToken"/> is done: never redeliver it.</summary>
    public void Complete(string completionToken) => _sent.TryRemove(completionToken, out _);

    /// <summary>
    /// Sends the item of <paramref name="completionToken"/> again (its result could not be recorded). Does nothing when it
    /// is no longer out with a worker: completed, or already requeued because its stream ended.
    /// </summary>
    public void Requeue(string completionToken)
    {
        if (_sent.TryRemove(completionToken, out var pending))
        {
            _queue.Writer.TryWrite(pending);
        }
    }

    /// <summary>Streams items to one worker until it disconnects or the sidecar stops; requeues what it left unfinished.</summary>
    public async Task RunStreamAsync(Func<WorkItem, Task> write, CancellationToken cancellationToken)
    {
        var mine = new List<string>();
        Interlocked.Increment(ref _connected);
        LogWorkerConnected();
        try
        {
            await foreach (var pending in _queue.Reader.ReadAllAsync(cancellationToken))
            {
                if (!pending.IsLive())
                {
                    continue;
                }

                var token = pending.Item.CompletionToken;
                _sent[token] = pending;
                mine.Add(token);
                try
                {
                    await write(pending.Item);
                }
                catch
                {
                    _sent.TryRemove(token, out _);
                    _queue.Writer.TryWrite(pending);
                    throw;
                }

                // Keep the list of this stream's tokens short: completed ones no longer need requeueing.
                if (mine.Count > 256)
                {
                    mine.RemoveAll(t => !_sent.ContainsKey(t));
                }
            }
        }
        finally
        {
            Interlocked.Decrement(ref _connected);
            var requeued = 0;
            foreach (var token in mine)
            {
                if (_sent.TryRemove(token, out var unfinished))
                {
                    _queue.Writer.TryWrite(unfinished);
                    requeued++;
                }
            }

            LogWorkerDisconnected(requeued);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Workflow worker connected")]
    private partial void LogWorkerConnected();

    [LoggerMessage(Level = LogLevel.Debug, Message = "Workflow worker disconnected; {Count} unfinished work items requeued")]
    private partial void LogWorkerDisconnected(int count);
}

/// <summary>A queued work item and whether its instance still wants it.</summary>
internal sealed record PendingWorkItem(WorkItem Item, Func<bool> IsLive);
