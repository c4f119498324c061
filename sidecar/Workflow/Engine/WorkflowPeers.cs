using Dapr.DurableTask.Protobuf;
using Sidecar.Hosting;
using Sidecar.NameResolution;

namespace Sidecar.Workflow.Engine;

/// <summary>
/// The workflow engines of other apps, for work a workflow addresses to another app id (an activity or child workflow
/// with a <see cref="TaskRouter.TargetAppID"/>). daprd sends such work to the target app's workflow and activity
/// actors; here the target app's sidecar must run in this process (the sidecars of one multi-app run do), and its
/// engine is called directly. A target whose sidecar runs in another process cannot be reached: that is an error, not
/// a silent local run.
/// </summary>
internal sealed class WorkflowPeers(SidecarOptions options, INameResolver resolver)
{
    /// <summary>This sidecar's app id: the source of work it sends, and the app a router naming it means.</summary>
    public string AppId => options.AppId;

    /// <summary>The app another app's work is for, or null when it is this app's own (no router, or one naming this app).</summary>
    public string? OtherApp(TaskRouter? router) =>
        router is { TargetAppID: { Length: > 0 } target } && target != options.AppId ? target : null;

    /// <summary>The engine of <paramref name="appId"/>'s sidecar in this process.</summary>
    /// <exception cref="WorkflowPeerUnavailableException">No sidecar serves the app, or it runs in another process.</exception>
    public async Task<WorkflowEngine> EngineOfAsync(string appId, CancellationToken cancellationToken)
    {
        var target = await resolver.ResolveAsync(appId, new HashSet<string>(), cancellationToken);
        return target switch
        {
            LocalTarget local when local.Services.GetService<WorkflowEngine>() is { } engine => engine,
            RemoteTarget remote => throw new WorkflowPeerUnavailableException(
                $"app '{appId}' runs its sidecar in another process ({remote.Instance}); workflow work for another app reaches sidecars of this run only"),
            _ => throw new WorkflowPeerUnavailableException($"no sidecar serves app '{appId}'"),
        };
    }
}

/// <summary>The app a workflow addressed work to cannot be reached now; the work is tried again later.</summary>
internal sealed class WorkflowPeerUnavailableException(string message) : Exception(message);
