using System.Globalization;
using Dapr.DurableTask.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Sidecar.Errors;

namespace Sidecar.Workflow.Api;

/// <summary>
/// daprd's workflow management API over <see cref="IWorkflowEngine"/>: validates ids as daprd does, then maps the
/// engine's answers and errors to daprd's (an engine error is wrapped in the operation's ERR_..._WORKFLOW code).
/// </summary>
internal sealed class WorkflowApi(IWorkflowEngine engine) : IWorkflowApi
{
    private const string StartTimeOption = "dapr.workflow.start_time";

    // daprd's status names by durabletask's OrchestrationStatus number.
    private static readonly string[] StatusNames =
        ["RUNNING", "COMPLETED", "CONTINUED_AS_NEW", "FAILED", "CANCELED", "TERMINATED", "PENDING", "SUSPENDED"];

    public async Task<string> StartAsync(
        string workflowName, string? instanceId, string? input, IReadOnlyDictionary<string, string> options,
        CancellationToken cancellationToken)
    {
        instanceId = string.IsNullOrEmpty(instanceId) ? Guid.NewGuid().ToString() : instanceId;
        ValidateNewInstanceId(instanceId);
        if (string.IsNullOrEmpty(workflowName))
        {
            throw WorkflowApiErrors.NameMissing().ToException();
        }

        var request = new CreateInstanceRequest { InstanceId = instanceId, Name = workflowName, Input = input };
        if (options.TryGetValue(StartTimeOption, out var startTime))
        {
            if (!DateTimeOffset.TryParse(startTime, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var start))
            {
                throw WorkflowApiErrors.Start(workflowName, "start times must be in RFC3339 format (e.g. \"2009-11-10T23:00:00Z\")").ToException();
            }

            request.ScheduledStartTimestamp = Timestamp.FromDateTimeOffset(start);
        }

        return await Wrap(() => engine.StartAsync(request, cancellationToken), reason => WorkflowApiErrors.Start(workflowName, reason));
    }

    public async Task<WorkflowInfo?> GetAsync(string instanceId, CancellationToken cancellationToken)
    {
        RequireInstanceId(instanceId);
        var state = await Wrap(
            () => engine.GetAsync(instanceId, includeInputsAndOutputs: true, cancellationToken),
            reason => WorkflowApiErrors.Get(instanceId, reason));
        return state is null ? null : ToInfo(instanceId, state);
    }

    public async Task RaiseEventAsync(string instanceId, string eventName, string? eventData, CancellationToken cancellationToken)
    {
        RequireInstanceId(instanceId);
        if (string.IsNullOrEmpty(eventName))
        {
            throw WorkflowApiErrors.EventNameMissing().ToException();
        }

        await Wrap(
            () => engine.RaiseEventAsync(instanceId, eventName, eventData, cancellationToken),
            reason => WorkflowApiErrors.RaiseEvent(instanceId, $"failed to raise event {eventName} on workflow {instanceId}: {reason}"));
    }

    public async Task PauseAsync(string instanceId, CancellationToken cancellationToken)
    {
        RequireInstanceId(instanceId);
        await Wrap(
            () => engine.SuspendAsync(instanceId, reason: null, cancellationToken),
            reason => WorkflowApiErrors.Pause(instanceId, $"failed to pause workflow {instanceId}: {reason}"));
    }

    public async Task ResumeAsync(string instanceId, CancellationToken cancellationToken)
    {
        RequireInstanceId(instanceId);
        await Wrap(
            () => engine.ResumeAsync(instanceId, reason: null, cancellationToken),
            reason => WorkflowApiErrors.Resume(instanceId, $"failed to resume workflow {instanceId}: {reason}"));
    }

    public async Task TerminateAsync(string instanceId, CancellationToken cancellationToken)
    {
        RequireInstanceId(instanceId);
        try
        {
            await engine.TerminateAsync(instanceId, output: null, recursive: true, cancellationToken);
        }
        catch (DaprException ex) when (ex.Error.ErrorCode == WorkflowErrors.InstanceNotFound(instanceId).ErrorCode)
        {
            // daprd tells "not found" apart from other failures for terminate and purge only.
            throw WorkflowApiErrors.InstanceNotFound(instanceId).ToException();
        }
        catch (DaprException ex) when (!IsConfigurationError(ex.Error))
        {
            throw WorkflowApiErrors.Terminate(instanceId, $"failed to terminate workflow {instanceId}: {ex.Error.Message}").ToException();
        }
    }

    public async Task PurgeAsync(string instanceId, CancellationToken cancellationToken)
    {
        RequireInstanceId(instanceId);
        var purged = await Wrap(
            () => engine.PurgeAsync(instanceId, recursive: true, cancellationToken),
            reason => WorkflowApiErrors.Purge(instanceId, $"failed to Purge workflow {instanceId}: {reason}"));
        if (purged == 0)
        {
            throw WorkflowApiErrors.InstanceNotFound(instanceId).ToException();
        }
    }

    private static WorkflowInfo ToInfo(string instanceId, WorkflowState state)
    {
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        if (state.CustomStatus is { } customStatus)
        {
            properties["dapr.workflow.custom_status"] = customStatus;
        }

        if (state.Input is { } input)
        {
            properties["dapr.workflow.input"] = input;
        }

        if (state.Output is { } output)
        {
            properties["dapr.workflow.output"] = output;
        }

        if (state.FailureDetails is { } failure)
        {
            properties["dapr.workflow.failure.error_type"] = failure.ErrorType;
            properties["dapr.workflow.failure.error_message"] = failure.ErrorMessage;
            if (failure.StackTrace is { } stackTrace)
            {
                properties["dapr.workflow.failure.stack_trace"] = stackTrace;
            }
        }

        var status = (int)state.WorkflowStatus;
        return new WorkflowInfo(
            instanceId,
            state.Name,
            state.CreatedTimestamp?.ToDateTimeOffset() ?? default,
            state.LastUpdatedTimestamp?.ToDateTimeOffset() ?? default,
            status >= 0 && status < StatusNames.Length ? StatusNames[status] : "UNKNOWN",
            properties);
    }

    /// <summary>daprd's rule for ids of new instances: at most 64 letters, digits, dashes and underscores.</summary>
    private static void ValidateNewInstanceId(string instanceId)
    {
        if (instanceId.Length > WorkflowApiErrors.MaxInstanceIdLength)
        {
            throw WorkflowApiErrors.InstanceIdTooLong().ToException();
        }

        if (!instanceId.All(c => char.IsLetterOrDigit(c) || c is '_' or '-'))
        {
            throw WorkflowApiErrors.InstanceIdInvalid(instanceId).ToException();
        }
    }

    private static void RequireInstanceId(string instanceId)
    {
        if (string.IsNullOrEmpty(instanceId))
        {
            throw WorkflowApiErrors.InstanceIdMissing().ToException();
        }
    }

    /// <summary>A missing actor state store is the user's setup to fix, not a workflow failure: it passes unwrapped.</summary>
    private static bool IsConfigurationError(DaprError error) =>
        error.ErrorCode == WorkflowErrors.NoActorStateStore().ErrorCode;

    private static async Task<T> Wrap<T>(Func<Task<T>> operation, Func<string, DaprError> wrap)
    {
        try
        {
            return await operation();
        }
        catch (DaprException ex) when (!IsConfigurationError(ex.Error))
        {
            throw wrap(ex.Error.Message).ToException();
        }
    }

    private static Task Wrap(Func<Task> operation, Func<string, DaprError> wrap) =>
        Wrap(async () =>
        {
            await operation();
            return true;
        }, wrap);
}
