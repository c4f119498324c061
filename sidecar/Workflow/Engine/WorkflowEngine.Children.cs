using Dapr.DurableTask.Protobuf;
using Sidecar.Errors;

namespace Sidecar.Workflow.Engine;

/// <summary>
/// Child workflows: start one and tell its parent of its end, on this app or on another. Across apps, both sides: the
/// parent's sidecar starts (or, after its restart, resumes) a child on the child app's sidecar and terminates it
/// recursively; the child's sidecar tells the parent's of its end, retrying
/// with backoff until the parent records it or answers that it no longer waits (daprd: the child's workflow actor
/// reports to the parent's through internal actor invocation, retried by its reminder). The parent takes a child's end
/// once: only while it runs the generation that started the child and still waits for that task (daprd drops a
/// duplicate completion, <c>pkg/actors/targets/workflow/orchestrator/add.go</c> with <c>dedup.IsDuplicateCompletion</c>).
/// A recursive terminate reaches children on other apps as daprd's does (<c>orchestrator/terminate.go</c>
/// terminateRemoteChild).
/// </summary>
internal sealed partial class WorkflowEngine
{
    /// <summary>Starts a child on this app or, when <paramref name="app"/> names another, on that app's sidecar.</summary>
    private async Task StartChildAsync(string instanceId, string name, string? input, ParentInstanceInfo parent, string? app)
    {
        try
        {
            if (app is null)
            {
                await CreateInstanceAsync(instanceId, name, input, parent, null, CancellationToken.None);
            }
            else
            {
                var peer = await _peers!.ResolveAsync(app, null, CancellationToken.None);
                await peer.StartChildAsync(ChildStart(instanceId, name, input, parent), CancellationToken.None);
            }
        }
        catch (Errors.DaprException ex) when (ex.Error.GrpcStatus == Grpc.Core.StatusCode.AlreadyExists)
        {
            // Started before a restart: it reports back when it finishes.
        }
        catch (WorkflowPeerUnavailableException ex)
        {
            var parentId = parent.WorkflowInstance?.InstanceId ?? "";
            LogPeerUnavailable(parentId, ex.Message);
            _timers.Schedule(Now + RedeliveryDelay, async () =>
            {
                if (await FindAsync(parentId) is { IsTerminal: false })
                {
                    await StartChildAsync(instanceId, name, input, parent, app);
                }
            });
        }
    }

    /// <summary>Tells the parent its child finished: completed with a result, or failed (terminated counts as failed).</summary>
    private async Task<bool> NotifyParentAsync(ParentInstanceInfo parent, InstanceState child, CancellationToken cancellationToken)
    {
        var e = HistoryEvents.New(HistoryEvents.NoEventId, Now);
        if (child.Status == OrchestrationStatus.Completed)
        {
            e.ChildWorkflowInstanceCompleted = new ChildWorkflowInstanceCompletedEvent
            {
                TaskScheduledId = parent.TaskScheduledId, Result = child.Output,
            };
        }
        else
        {
            e.ChildWorkflowInstanceFailed = new ChildWorkflowInstanceFailedEvent
            {
                TaskScheduledId = parent.TaskScheduledId,
                FailureDetails = child.Failure ?? new TaskFailureDetails
                {
                    ErrorType = "WorkflowTerminated",
                    ErrorMessage = $"child workflow '{child.InstanceId}' ended with status {child.Status}",
                },
            };
        }

        var parentId = parent.WorkflowInstance?.InstanceId ?? "";
        var parentExecutionId = parent.WorkflowInstance?.ExecutionId;
        // A parent on another app (its sidecar named itself when it started this child) hears of it there.
        if (_peers?.OtherApp(new TaskRouter { TargetAppID = parent.AppID }) is { } parentApp)
        {
            return await NotifyRemoteParentAsync(parentApp, new ChildResult(parentId, parentExecutionId ?? "", e), RedeliveryDelay);
        }

        return await AppendToInboxAsync(parentId, e,
            p => p.ExecutionId == parentExecutionId && HistoryEvents.IsTaskOutstanding(p, parent.TaskScheduledId),
            cancellationToken);
    }

    /// <summary>A child another app's workflow starts here; one that exists already is fine (a repeat after a restart).</summary>
    public async Task StartChildForPeerAsync(ExecutionStartedEvent child, CancellationToken cancellationToken)
    {
        var (instanceId, parent) = ValidChild(child);
        try
        {
            await CreateInstanceAsync(instanceId, child.Name, child.Input, parent, null, cancellationToken);
        }
        catch (DaprException ex) when (ex.Error.GrpcStatus == Grpc.Core.StatusCode.AlreadyExists)
        {
            // Started before: it reports back when it finishes.
        }
    }

    /// <summary>A parent on another app restarted: start its child here if it never started, or report its end again.</summary>
    public Task ResumeChildForPeerAsync(ExecutionStartedEvent child)
    {
        var (instanceId, parent) = ValidChild(child);
        return ResumeChildAsync(instanceId, child.Name, child.Input, parent);
    }

    /// <summary>The child's id and parent, or the error naming what another sidecar left out.</summary>
    private static (string InstanceId, ParentInstanceInfo Parent) ValidChild(ExecutionStartedEvent child)
    {
        if (child.WorkflowInstance?.InstanceId is not { Length: > 0 } instanceId)
        {
            throw WorkflowErrors.MissingArgument("workflowInstance.instanceId").ToException();
        }

        if (string.IsNullOrEmpty(child.Name))
        {
            throw WorkflowErrors.MissingArgument("name").ToException();
        }

        return child.ParentInstance is { WorkflowInstance.InstanceId.Length: > 0 } parent
            ? (instanceId, parent)
            : throw WorkflowErrors.MissingArgument("parentInstance").ToException();
    }

    /// <summary>
    /// A child on another app ended: appended to the parent's inbox only while the parent runs generation
    /// <see cref="ChildResult.ParentExecutionId"/> and still waits for the task, so a repeat is never recorded twice.
    /// </summary>
    public async Task<bool> AppendChildResultAsync(ChildResult result, CancellationToken cancellationToken)
    {
        if (result.Event.EventTypeCase is not (HistoryEvent.EventTypeOneofCase.ChildWorkflowInstanceCompleted
                or HistoryEvent.EventTypeOneofCase.ChildWorkflowInstanceFailed)
            || HistoryEvents.CompletesTask(result.Event) is not { } taskId)
        {
            return false;
        }

        return await AppendToInboxAsync(result.ParentInstanceId, result.Event,
            p => p.ExecutionId == result.ParentExecutionId && HistoryEvents.IsTaskOutstanding(p, taskId), cancellationToken);
    }

    /// <summary>Terminates an instance for another app's workflow (a recursive terminate); an unknown one is fine.</summary>
    public async Task TerminateForPeerAsync(string instanceId, string? output, bool recursive, CancellationToken cancellationToken)
    {
        try
        {
            await TerminateAsync(instanceId, output, recursive, cancellationToken);
        }
        catch (DaprException ex) when (ex.Error.GrpcStatus == Grpc.Core.StatusCode.NotFound)
        {
            // Never started there, or purged: nothing to terminate.
        }
    }

    /// <summary>The start of a child as sent to its app's sidecar: its id, name, input and parent.</summary>
    private static ExecutionStartedEvent ChildStart(string instanceId, string name, string? input, ParentInstanceInfo parent) => new()
    {
        Name = name, Input = input, WorkflowInstance = new WorkflowInstance { InstanceId = instanceId }, ParentInstance = parent,
    };

    /// <summary>Tells a parent on another app of its child's end; tried again with backoff until its sidecar answers.</summary>
    private async Task<bool> NotifyRemoteParentAsync(string parentApp, ChildResult result, TimeSpan retryIn)
    {
        try
        {
            var peer = await _peers!.ResolveAsync(parentApp, null, CancellationToken.None);
            return await peer.AppendChildResultAsync(result, CancellationToken.None);
        }
        catch (Exception ex)
        {
            LogPeerUnavailable(result.ParentInstanceId, ex.Message);
            _timers.Schedule(Now + retryIn, () => NotifyRemoteParentAsync(parentApp, result, Backoff(retryIn)));
            return false;
        }
    }

    /// <summary>After this sidecar restarted: a child on another app is started there, or reports back that it finished.</summary>
    private async Task ResumeRemoteChildAsync(string childApp, ExecutionStartedEvent child, TimeSpan retryIn)
    {
        try
        {
            var peer = await _peers!.ResolveAsync(childApp, null, CancellationToken.None);
            await peer.ResumeChildAsync(child, CancellationToken.None);
        }
        catch (Exception ex)
        {
            var parentId = child.ParentInstance?.WorkflowInstance?.InstanceId ?? "";
            LogPeerUnavailable(parentId, ex.Message);
            _timers.Schedule(Now + retryIn, async () =>
            {
                if (await FindAsync(parentId) is { IsTerminal: false })
                {
                    await ResumeRemoteChildAsync(childApp, child, Backoff(retryIn));
                }
            });
        }
    }

    /// <summary>A recursive terminate reaching a child on another app; tried again while that app cannot be reached.</summary>
    private async Task TerminateRemoteChildAsync(string childApp, string instanceId, string? output, int attemptsLeft)
    {
        try
        {
            var peer = await _peers!.ResolveAsync(childApp, null, CancellationToken.None);
            await peer.TerminateAsync(instanceId, output, recursive: true, CancellationToken.None);
        }
        catch (Exception ex) when (attemptsLeft > 0)
        {
            LogPeerUnavailable(instanceId, ex.Message);
            _timers.Schedule(Now + RedeliveryDelay, () => TerminateRemoteChildAsync(childApp, instanceId, output, attemptsLeft - 1));
        }
    }

    private static TimeSpan Backoff(TimeSpan last) => last * 2 < PeerDeliveryMaxRetry ? last * 2 : PeerDeliveryMaxRetry;
}
