using Dapr.DurableTask.Protobuf;

namespace Sidecar.Workflow.Engine;

/// <summary>Purging finished instances (and, recursively, their children) from the store.</summary>
internal sealed partial class WorkflowEngine
{
    public async Task<int> PurgeAsync(string instanceId, bool recursive, CancellationToken cancellationToken)
    {
        await EnsureLoadedAsync();
        // Under the index gate: an instance cannot be re-created under the same id while it is being purged.
        await _indexGate.WaitAsync(cancellationToken);
        try
        {
            var victims = new List<InstanceState>();
            await CollectPurgeAsync(instanceId, recursive, victims, cancellationToken);
            if (victims.Count > 0)
            {
                await _store.DeleteAsync(victims, cancellationToken);
            }

            return victims.Count;
        }
        finally
        {
            _indexGate.Release();
        }
    }

    /// <summary>
    /// Like daprd: purging by filter would mean scanning every finished instance, which the store keeps no list of
    /// (only unfinished instances are indexed). Purge by instance id instead.
    /// </summary>
    public Task<int> PurgeAsync(PurgeInstanceFilter filter, CancellationToken cancellationToken) =>
        throw WorkflowErrors.PurgeByFilterUnsupported().ToException();

    /// <summary>Adds the finished instance (read from the store) and, when recursive, its children to <paramref name="victims"/>.</summary>
    private async Task CollectPurgeAsync(string instanceId, bool recursive, List<InstanceState> victims, CancellationToken cancellationToken)
    {
        if (victims.Any(v => v.InstanceId == instanceId))
        {
            return;
        }

        if (_instances.ContainsKey(instanceId) || _creating.ContainsKey(instanceId))
        {
            throw WorkflowErrors.NotFinished(instanceId).ToException();
        }

        if (await _store.LoadAsync(instanceId, includeHistory: recursive, cancellationToken) is not { } instance)
        {
            return;
        }

        victims.Add(instance);
        if (recursive)
        {
            foreach (var child in instance.History.Where(e => e.ChildWorkflowInstanceCreated is not null))
            {
                await CollectPurgeAsync(child.ChildWorkflowInstanceCreated.InstanceId, recursive, victims, cancellationToken);
            }
        }
    }
}
