using Sidecar.AppChannel.Resiliency;
using Sidecar.Components;
using Sidecar.Components.Bindings;
using Sidecar.Errors;

namespace Sidecar.Bindings;

/// <summary>Output bindings, shared by the HTTP and gRPC surfaces.</summary>
internal interface IBindingsApi
{
    /// <summary>Calls output binding <paramref name="name"/>; failures come back as data, with the metadata the binding still reported.</summary>
    Task<OutputBindingResult> InvokeAsync(string name, BindingRequest request, CancellationToken cancellationToken);
}

/// <summary>
/// The outcome of an output binding call: the binding's answer (null: nothing to answer, daprd's 204), the response
/// metadata (returned even with an error, as daprd does for bindings.http), and the error, if any.
/// </summary>
internal sealed record OutputBindingResult(BindingResponse? Response, IReadOnlyDictionary<string, string> Metadata, DaprError? Error);

/// <summary>Finds the binding, checks the operation and runs the call under the binding's outbound resiliency policy, as daprd.</summary>
// dapr/dapr pkg/runtime/processor/binding/send.go SendToOutputBinding
internal sealed class BindingsApi(IBindingRegistry bindings, IResiliencyPolicies policies) : IBindingsApi
{
    private static readonly IReadOnlyDictionary<string, string> NoMetadata = new Dictionary<string, string>(StringComparer.Ordinal);

    public async Task<OutputBindingResult> InvokeAsync(string name, BindingRequest request, CancellationToken cancellationToken)
    {
        if (request.Operation.Length == 0)
        {
            return Failed(name, "operation field is missing from request");
        }

        if (!bindings.TryGetOutputBinding(name, out var binding))
        {
            return Failed(name, $"couldn't find output binding {name}");
        }

        if (!binding.Operations.Contains(request.Operation, StringComparer.Ordinal))
        {
            return Failed(name, $"binding {name} does not support operation {request.Operation}. supported operations:{string.Join(' ', binding.Operations)}");
        }

        try
        {
            var response = await policies.RunnerForComponentOutbound(name, ComponentKind.Binding)
                .RunAsync(ct => binding.InvokeAsync(request, ct), _ => AttemptVerdict.Success, null, cancellationToken);
            return new OutputBindingResult(response, response?.Metadata ?? NoMetadata, null);
        }
        catch (BindingException ex)
        {
            return Failed(name, ex.Message, ex.Metadata);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A component's unexpected failure (I/O, an open circuit breaker) is still the binding's error to the app.
            return Failed(name, ex.Message.ReplaceLineEndings(" "));
        }
    }

    private static OutputBindingResult Failed(string name, string reason, IReadOnlyDictionary<string, string>? metadata = null) =>
        new(null, metadata ?? NoMetadata, BindingsErrors.InvokeOutputBinding(name, reason));
}
