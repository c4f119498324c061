using System.Net.Http.Headers;
using System.Net.Sockets;
using Dapr.DurableTask.Protobuf;
using Google.Protobuf;
using Sidecar.Invocation;
using Sidecar.NameResolution;
using Sidecar.Workflow.Engine;
using P = Sidecar.Workflow.Peers.WorkflowPeerProtocol;

namespace Sidecar.Workflow.Peers;

/// <summary>
/// A sidecar of another process, reached over its internal workflow routes (<see cref="WorkflowPeerProtocol"/>) with
/// its registration token. Whatever keeps the work from arriving — refused, timed out, another server on a dead
/// sidecar's port, an error of the peer — is <see cref="WorkflowPeerUnavailableException"/>: the engine tries again.
/// </summary>
internal sealed class RemoteWorkflowPeer(AppInstance instance, HttpClient http, INameResolver resolver) : IWorkflowPeer
{
    public string Key => instance.RegistrationId;

    public async Task RunActivityAsync(ActivityRequest request, PeerSource source, CancellationToken cancellationToken)
    {
        var item = new WorkItem { ActivityRequest = request, CompletionToken = source.Token };
        using var _ = await PostAsync(P.RunActivity, item, [(P.SourceAppHeader, source.AppId), (P.SourceInstanceHeader, source.InstanceKey)], cancellationToken);
    }

    public async Task<bool> RecordActivityResultAsync(ActivityResponse response, CancellationToken cancellationToken)
    {
        using var answer = await PostAsync(P.ActivityResult, response, [], cancellationToken);
        return IsRecorded(answer);
    }

    public async Task StartChildAsync(ExecutionStartedEvent child, CancellationToken cancellationToken)
    {
        using var _ = await PostAsync(P.StartChild, child, [], cancellationToken);
    }

    public async Task ResumeChildAsync(ExecutionStartedEvent child, CancellationToken cancellationToken)
    {
        using var _ = await PostAsync(P.ResumeChild, child, [], cancellationToken);
    }

    public async Task<bool> AppendChildResultAsync(ChildResult result, CancellationToken cancellationToken)
    {
        using var answer = await PostAsync(P.ChildResult, result.Event,
            [(P.InstanceHeader, result.ParentInstanceId), (P.ExecutionHeader, result.ParentExecutionId)], cancellationToken);
        return IsRecorded(answer);
    }

    public async Task TerminateAsync(string instanceId, string? output, bool recursive, CancellationToken cancellationToken)
    {
        var request = new TerminateRequest { InstanceId = instanceId, Output = output, Recursive = recursive };
        using var _ = await PostAsync(P.Terminate, request, [], cancellationToken);
    }

    private static bool IsRecorded(HttpResponseMessage answer) =>
        answer.Headers.TryGetValues(P.OutcomeHeader, out var outcome) && outcome.FirstOrDefault() == P.Recorded;

    private async Task<HttpResponseMessage> PostAsync(
        string path, IMessage body, (string Name, string Value)[] headers, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, (Uri?)null) { Content = new ByteArrayContent(body.ToByteArray()) };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue(P.ContentType);
        InternalInvocation.Address(message, instance, path);
        foreach (var (name, value) in headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(message, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            if (e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
            {
                // Skipped by name resolution until it renews its registration (a dead sidecar never does).
                resolver.ReportUnreachable(instance);
            }

            throw new WorkflowPeerUnavailableException($"the sidecar of {instance} cannot be reached: {e.Message}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new WorkflowPeerUnavailableException($"the sidecar of {instance} did not answer in time");
        }

        if (!InternalInvocation.IsAnsweredBy(response, instance))
        {
            response.Dispose();
            throw new WorkflowPeerUnavailableException($"the sidecar of {instance} is gone (something else answers at {instance.Address})");
        }

        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                var text = await response.Content.ReadAsStringAsync(cancellationToken);
                throw new WorkflowPeerUnavailableException($"the sidecar of {instance} answered {(int)response.StatusCode}: {text}");
            }
        }

        return response;
    }
}
