using System.Net;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Sidecar.Invocation;
using Proto = Dapr.Client.Autogen.Grpc.v1;

namespace Sidecar.Api.Grpc;

/// <summary>
/// InvokeService: calls the target app over HTTP with the request's verb, query and data, and answers its body and
/// content type. A non-2xx answer becomes a gRPC error whose code follows the HTTP status and whose message is the body.
/// </summary>
internal sealed partial class DaprGrpcService
{
    public static async Task<Proto.InvokeResponse> InvokeService(Proto.InvokeServiceRequest request, ServerCallContext context)
    {
        var message = request.Message ?? new Proto.InvokeRequest();
        var verb = message.HttpExtension?.Verb is { } v and not Proto.HTTPExtension.Types.Verb.None ? v.ToString().ToUpperInvariant() : "POST";
        var query = message.HttpExtension?.Querystring is { Length: > 0 } q ? "?" + q.TrimStart('?') : "";
        var data = message.Data?.Value ?? ByteString.Empty;
        var headers = context.RequestHeaders
            .Where(h => !h.IsBinary && !h.Key.StartsWith("grpc-", StringComparison.OrdinalIgnoreCase) && h.Key != "content-type")
            .Select(h => KeyValuePair.Create(h.Key, (IEnumerable<string>)[h.Value]));

        using var response = await context.Service<IServiceInvoker>().InvokeAsync(
            new InvocationRequest(request.Id, new HttpMethod(verb), message.Method.TrimStart('/') + query, headers,
                data.IsEmpty ? null : new MemoryStream(data.ToByteArray(), writable: false),
                string.IsNullOrEmpty(message.ContentType) ? null : message.ContentType, data.Length),
            context.CancellationToken);

        var body = await response.Content.ReadAsByteArrayAsync(context.CancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new RpcException(new Status(CodeFor(response.StatusCode), System.Text.Encoding.UTF8.GetString(body)));
        }

        return new Proto.InvokeResponse
        {
            Data = new Any { Value = ByteString.CopyFrom(body) },
            ContentType = response.Content.Headers.ContentType?.ToString() ?? "",
        };
    }

    /// <summary>HTTP status → gRPC code, as in the Google API error mapping daprd follows.</summary>
    private static StatusCode CodeFor(HttpStatusCode status) => (int)status switch
    {
        400 => StatusCode.InvalidArgument,
        401 => StatusCode.Unauthenticated,
        403 => StatusCode.PermissionDenied,
        404 => StatusCode.NotFound,
        408 => StatusCode.DeadlineExceeded,
        409 => StatusCode.Aborted,
        412 => StatusCode.FailedPrecondition,
        429 => StatusCode.ResourceExhausted,
        499 => StatusCode.Cancelled,
        501 => StatusCode.Unimplemented,
        503 => StatusCode.Unavailable,
        504 => StatusCode.DeadlineExceeded,
        _ => StatusCode.Unknown,
    };
}

internal sealed partial class DaprGrpcMethodProvider
{
    static partial void AddInvocationMethods(ServiceMethodProviderContext<DaprGrpcService> context) =>
        context.AddDaprUnary<Proto.InvokeServiceRequest, Proto.InvokeResponse>("InvokeService", DaprGrpcService.InvokeService);
}
