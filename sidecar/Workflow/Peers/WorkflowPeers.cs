using Dapr.DurableTask.Protobuf;
using Sidecar.Hosting;
using Sidecar.NameResolution;
using Sidecar.Workflow.Engine;

namespace Sidecar.Workflow.Peers;

/// <summary>
/// The sidecars of other apps, for work a workflow addresses to another app id (an activity or child workflow with a
/// <see cref="TaskRouter.TargetAppID"/>). daprd sends such work to the target app's workflow and activity actors; here
/// a sidecar of this process is called directly, and one of another process (found in the shared name registry)
/// through its internal workflow routes.
/// </summary>
internal sealed class WorkflowPeers(SidecarOptions options, INameResolver resolver, NameRegistration registration) : IWorkflowPeers, IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public string AppId => options.AppId;

    public string SelfKey => registration.Instance?.RegistrationId ?? "in-process:" + options.AppId;

    public string? OtherApp(TaskRouter? router) =>
        router is { TargetAppID: { Length: > 0 } target } && target != options.AppId ? target : null;

    public async Task<IWorkflowPeer> ResolveAsync(string appId, string? preferredKey, CancellationToken cancellationToken)
    {
        // Instances take turns in the resolver: walk them (each once) for the preferred one, else take the first.
        var tried = new HashSet<string>(StringComparer.Ordinal);
        ResolvedTarget? chosen = null;
        while (await ResolveOnceAsync(appId, tried, cancellationToken) is { } target)
        {
            chosen ??= target;
            if (preferredKey is null || target.Key == preferredKey)
            {
                chosen = target;
                break;
            }

            tried.Add(target.Key);
        }

        return chosen switch
        {
            LocalTarget local when local.Services.GetService<WorkflowEngine>() is { } engine => new LocalWorkflowPeer(engine, local.Key),
            RemoteTarget remote => new RemoteWorkflowPeer(remote.Instance, _http, resolver),
            _ => throw new WorkflowPeerUnavailableException($"no sidecar serves app '{appId}'"),
        };
    }

    private async Task<ResolvedTarget?> ResolveOnceAsync(string appId, HashSet<string> tried, CancellationToken cancellationToken)
    {
        try
        {
            return await resolver.ResolveAsync(appId, tried, cancellationToken);
        }
        catch (Errors.DaprException e)
        {
            // The registry cannot be read now (busy, locked): like an app that cannot be reached, tried again later.
            throw new WorkflowPeerUnavailableException(e.Error.Message);
        }
    }

    public void Dispose() => _http.Dispose();
}
