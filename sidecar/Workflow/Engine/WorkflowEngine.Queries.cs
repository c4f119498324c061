using Dapr.DurableTask.Protobuf;

namespace Sidecar.Workflow.Engine;

/// <summary>Reading instances: their state, waiting for a start or an end, their history.</summary>
internal sealed partial class WorkflowEngine
{
    public async Task<WorkflowState?> GetAsync(string instanceId, bool includeInputsAndOutputs, CancellationToken cancellationToken)
    {
        if (await FindAsync(instanceId) is { } instance)
        {
            await instance.Gate.WaitAsync(cancellationToken);
            try
            {
                return ToState(instance, includeInputsAndOutputs);
            }
            finally
            {
                instance.Gate.Release();
            }
        }

        // Not in memory: finished (read back from the store) or unknown.
        var stored = await _store.LoadAsync(instanceId, includeHistory: false, cancellationToken);
        return stored is null ? null : ToState(stored, includeInputsAndOutputs);
    }

    public Task<WorkflowState?> WaitForStartAsync(string instanceId, bool includeInputsAndOutputs, CancellationToken cancellationToken) =>
        WaitForAsync(instanceId, i => i.Status != OrchestrationStatus.Pending, includeInputsAndOutputs, cancellationToken);

    public Task<WorkflowState?> WaitForCompletionAsync(string instanceId, bool includeInputsAndOutputs, CancellationToken cancellationToken) =>
        WaitForAsync(instanceId, i => i.IsTerminal, includeInputsAndOutputs, cancellationToken);

    private async Task<WorkflowState?> WaitForAsync(
        string instanceId, Func<InstanceState, bool> condition, bool includeInputsAndOutputs, CancellationToken cancellationToken)
    {
        await EnsureLoadedAsync();
        while (true)
        {
            // Looked up each round: a restart under the same id replaces the instance.
            if (!_instances.TryGetValue(instanceId, out var instance))
            {
                // Finished (the store has its final state), unknown, or being created right now.
                var stored = await _store.LoadAsync(instanceId, includeHistory: false, cancellationToken);
                if (stored is null || condition(stored))
                {
                    return stored is null ? null : ToState(stored, includeInputsAndOutputs);
                }

                // Saved but not yet in memory: a creation is about to publish it.
                await Task.Delay(TimeSpan.FromMilliseconds(10), _time, cancellationToken);
                continue;
            }

            var changed = instance.Changed;
            if (condition(instance))
            {
                return await GetAsync(instanceId, includeInputsAndOutputs, cancellationToken);
            }

            await changed.WaitAsync(cancellationToken);

            // A finished instance never changes again (and has left memory): answer from the object in hand.
            if (instance.IsTerminal && condition(instance))
            {
                return ToState(instance, includeInputsAndOutputs);
            }
        }
    }

    public async Task<IReadOnlyList<HistoryEvent>> GetHistoryAsync(string instanceId, CancellationToken cancellationToken)
    {
        if (await FindAsync(instanceId) is { } instance)
        {
            await instance.Gate.WaitAsync(cancellationToken);
            try
            {
                return [.. instance.History];
            }
            finally
            {
                instance.Gate.Release();
            }
        }

        return await _store.LoadAsync(instanceId, includeHistory: true, cancellationToken) is { } stored ? stored.History : [];
    }
}
