using Dapr.DurableTask.Protobuf;
using Sidecar.Workflow.Persistence;

namespace Sidecar.Workflow.Engine;

/// <summary>Changing running instances from outside: raise an event, terminate (recursively), suspend, resume.</summary>
internal sealed partial class WorkflowEngine
{
    public async Task RaiseEventAsync(string instanceId, string name, string? input, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw WorkflowErrors.MissingArgument("name").ToException();
        }

        // An event for a finished instance has nowhere to go; a suspended one keeps it in its inbox until resumed.
        if (await FindUnfinishedOrThrowAsync(instanceId, cancellationToken) is null)
        {
            return;
        }

        var e = HistoryEvents.New(HistoryEvents.NoEventId, Now);
        e.EventRaised = new EventRaisedEvent { Name = name, Input = input };
        await AppendToInboxAsync(instanceId, e, _ => true, cancellationToken);
    }

    public async Task TerminateAsync(string instanceId, string? output, bool recursive, CancellationToken cancellationToken)
    {
        if (await FindUnfinishedOrThrowAsync(instanceId, cancellationToken) is not { } instance)
        {
            return;
        }

        var effects = new List<Func<Task>>();
        await instance.Gate.WaitAsync(cancellationToken);
        try
        {
            if (instance.IsTerminal)
            {
                return;
            }

            var now = Now;
            var terminated = HistoryEvents.New(HistoryEvents.NoEventId, now);
            terminated.ExecutionTerminated = new ExecutionTerminatedEvent { Input = output, Recurse = recursive };
            var completed = HistoryEvents.New(HistoryEvents.NoEventId, now);
            completed.ExecutionCompleted = new ExecutionCompletedEvent { WorkflowStatus = OrchestrationStatus.Terminated, Result = output };

            var draft = instance.Draft();
            draft.Inbox.Clear();
            draft.Status = OrchestrationStatus.Terminated;
            draft.Output = output;
            draft.CompletedAt = now;
            draft.LastUpdatedAt = now;
            var write = AppendHistory(draft, [terminated, completed]);
            await CommitAsync(instance, draft, write);
            _telemetry?.WorkflowFinished(instanceId, draft.Name, OrchestrationStatus.Terminated);

            // The sidecar ended the instance itself: a turn in flight is now stale and its result will be ignored.
            if (instance.Turn is { } turn)
            {
                _dispatcher.Complete(turn.Token);
                instance.Turn = null;
            }

            if (recursive)
            {
                // Children on other apps too: their sidecars terminate them (and theirs) in turn.
                foreach (var (child, app) in OutstandingChildren(draft))
                {
                    effects.Add(app is null
                        ? () => TerminateIfExistsAsync(child, output)
                        : () => TerminateRemoteChildAsync(app, child, output, attemptsLeft: 30));
                }
            }

            if (draft.Parent is { } parent)
            {
                effects.Add(() => NotifyParentAsync(parent, draft, CancellationToken.None));
            }
        }
        finally
        {
            instance.Gate.Release();
        }

        await RunEffectsAsync(effects);
    }

    private async Task TerminateIfExistsAsync(string instanceId, string? output)
    {
        if (await FindAsync(instanceId) is not null)
        {
            await TerminateAsync(instanceId, output, recursive: true, CancellationToken.None);
        }
    }

    public async Task SuspendAsync(string instanceId, string? reason, CancellationToken cancellationToken)
    {
        if (await FindUnfinishedOrThrowAsync(instanceId, cancellationToken) is not { } instance)
        {
            return;
        }

        await instance.Gate.WaitAsync(cancellationToken);
        try
        {
            if (instance.IsTerminal || instance.Status == OrchestrationStatus.Suspended)
            {
                return;
            }

            var e = HistoryEvents.New(HistoryEvents.NoEventId, Now);
            e.ExecutionSuspended = new ExecutionSuspendedEvent { Input = reason };
            var draft = instance.Draft();
            draft.Inbox.Add(e);
            draft.Status = OrchestrationStatus.Suspended;
            draft.LastUpdatedAt = Now;
            await CommitAsync(instance, draft, HistoryWrite.None);
        }
        finally
        {
            instance.Gate.Release();
        }
    }

    public async Task ResumeAsync(string instanceId, string? reason, CancellationToken cancellationToken)
    {
        if (await FindUnfinishedOrThrowAsync(instanceId, cancellationToken) is not { } instance)
        {
            return;
        }

        await instance.Gate.WaitAsync(cancellationToken);
        try
        {
            if (instance.Status != OrchestrationStatus.Suspended)
            {
                return;
            }

            var e = HistoryEvents.New(HistoryEvents.NoEventId, Now);
            e.ExecutionResumed = new ExecutionResumedEvent { Input = reason };
            var draft = instance.Draft();
            draft.Inbox.Add(e);
            draft.Status = draft.History.Any(h => h.ExecutionStarted is not null)
                ? OrchestrationStatus.Running
                : OrchestrationStatus.Pending;
            draft.LastUpdatedAt = Now;
            await CommitAsync(instance, draft, HistoryWrite.None);
            TryDispatchTurn(instance);
        }
        finally
        {
            instance.Gate.Release();
        }
    }

    /// <summary>Children this instance started that have not reported back: their ids and apps (null: this app).</summary>
    private List<(string InstanceId, string? App)> OutstandingChildren(InstanceState instance) =>
        instance.History
            .Where(e => e.ChildWorkflowInstanceCreated is not null && HistoryEvents.IsTaskOutstanding(instance, e.EventId))
            .Select(e => (e.ChildWorkflowInstanceCreated.InstanceId, _peers?.OtherApp(e.Router)))
            .ToList();
}
