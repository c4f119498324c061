using Google.Protobuf;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Sidecar.AppChannel;
using Sidecar.Bindings;
using Sidecar.Components.Bindings;
using Proto = Dapr.Client.Autogen.Grpc.v1;

namespace Sidecar.Api.Grpc;

/// <summary>
/// InvokeBinding: the data bytes go to the binding as they are; the answer carries data and metadata, and the metadata
/// also goes out as <c>metadata.{key}</c> response headers, with an error too (Internal, ERR_INVOKE_OUTPUT_BINDING's message).
/// </summary>
// dapr/dapr pkg/api/grpc/grpc.go InvokeBinding
internal sealed partial class DaprGrpcService
{
    public static async Task<Proto.InvokeBindingResponse> InvokeBinding(Proto.InvokeBindingRequest request, ServerCallContext context)
    {
        var metadata = new Dictionary<string, string>(request.Metadata, StringComparer.Ordinal);
        if ((Observability.SidecarTelemetry.CurrentTraceParent() ?? context.RequestHeaders.GetValue(TraceContext.TraceParentHeader)) is { } traceParent)
        {
            metadata.TryAdd(TraceContext.TraceParentHeader, traceParent);
        }

        var result = await context.Service<IBindingsApi>().InvokeAsync(
            request.Name, new BindingRequest(request.Operation, request.Data.ToByteArray(), metadata), context.CancellationToken);
        var headers = new global::Grpc.Core.Metadata();
        foreach (var (key, value) in result.Metadata)
        {
            var name = "metadata." + key.ToLowerInvariant();
            if (name.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-' or '_' or '.') && !name.EndsWith("-bin", StringComparison.Ordinal))
            {
                headers.Add(name, new string([.. value.Select(c => c is >= ' ' and <= '~' ? c : ' ')]));
            }
        }

        if (headers.Count > 0)
        {
            await context.WriteResponseHeadersAsync(headers);
        }

        if (result.Error is { } error)
        {
            throw error.ToException();
        }

        var response = new Proto.InvokeBindingResponse();
        if (result.Response is { } answer)
        {
            response.Data = ByteString.CopyFrom(answer.Data);
            response.Metadata.Fill(answer.Metadata);
        }

        return response;
    }
}

/// <summary>Binds the bindings RPC.</summary>
internal sealed partial class DaprGrpcMethodProvider
{
    static partial void AddBindingsMethods(ServiceMethodProviderContext<DaprGrpcService> context) =>
        context.AddDaprUnary<Proto.InvokeBindingRequest, Proto.InvokeBindingResponse>("InvokeBinding", DaprGrpcService.InvokeBinding);
}
