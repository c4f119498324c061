using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Sidecar.Invocation;
using Proto = Dapr.Client.Autogen.Grpc.v1;

namespace Sidecar.Api.Grpc;

/// <summary>
/// InvokeService: calls the target app over HTTP with the request's verb, query and data, and answers its body and
/// content type, with the app's status in the <c>dapr-http-status</c> header. A non-2xx answer becomes a gRPC error as
/// daprd makes it (<see cref="HttpStatusToGrpc"/>). The HTTP app channel needs the <c>HttpExtension</c>.
/// </summary>
// dapr/dapr pkg/api/grpc/grpc.go InvokeService, pkg/channel/http/http_channel.go InvokeMethod
internal sealed partial class DaprGrpcService
{
    private const string HttpStatusHeader = "dapr-http-status";

    public static async Task<Proto.InvokeResponse> InvokeService(Proto.InvokeServiceRequest request, ServerCallContext context)
    {
        var message = request.Message ?? new Proto.InvokeRequest();
        if (message.HttpExtension is null || message.HttpExtension.Verb is Proto.HTTPExtension.Types.Verb.None or Proto.HTTPExtension.Types.Verb.Connect)
        {
            // daprd's HTTP channel refuses the call with InvalidArgument; its caller wraps that in ERR_DIRECT_INVOKE.
            var why = message.HttpExtension is null ? "missing HTTP extension field" : "invalid HTTP verb";
            throw InvocationErrors.DirectInvoke(request.Id,
                $"rpc error: code = Internal desc = error invoking app channel: rpc error: code = InvalidArgument desc = {why}").ToException();
        }

        var verb = message.HttpExtension.Verb.ToString().ToUpperInvariant();
        var query = message.HttpExtension.Querystring is { Length: > 0 } q ? "?" + q.TrimStart('?') : "";
        var data = message.Data?.Value ?? ByteString.Empty;
        var headers = context.RequestHeaders
            .Where(h => !h.IsBinary && !h.Key.StartsWith("grpc-", StringComparison.OrdinalIgnoreCase) && h.Key != "content-type")
            .Select(h => KeyValuePair.Create(h.Key, (IEnumerable<string>)[h.Value]));

        using var response = await context.Service<IServiceInvoker>().InvokeAsync(
            new InvocationRequest(request.Id, new HttpMethod(verb), InvocationMethod.ToUriPath(InvocationMethod.Normalize(request.Id, message.Method)) + query, headers,
                data.IsEmpty ? null : new MemoryStream(data.ToByteArray(), writable: false),
                string.IsNullOrEmpty(message.ContentType) ? null : message.ContentType, data.Length, RetryByStatus: false),
            context.CancellationToken);

        var body = await response.Content.ReadAsByteArrayAsync(context.CancellationToken);
        var status = (int)response.StatusCode;
        await context.WriteResponseHeadersAsync(new global::Grpc.Core.Metadata { { HttpStatusHeader, status.ToString(System.Globalization.CultureInfo.InvariantCulture) } });
        if (HttpStatusToGrpc.ErrorFor(status, System.Text.Encoding.UTF8.GetString(body)) is { } error)
        {
            throw error;
        }

        return new Proto.InvokeResponse
        {
            Data = new Any { Value = ByteString.CopyFrom(body) },
            ContentType = response.Content.Headers.ContentType?.ToString() ?? "",
        };
    }
}

internal sealed partial class DaprGrpcMethodProvider
{
    static partial void AddInvocationMethods(ServiceMethodProviderContext<DaprGrpcService> context) =>
        context.AddDaprUnary<Proto.InvokeServiceRequest, Proto.InvokeResponse>("InvokeService", DaprGrpcService.InvokeService);
}
