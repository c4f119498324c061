using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Sidecar.AppChannel.GrpcApp;
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
        // Without an HTTP verb the call can only reach a gRPC app (which gets the InvokeRequest as sent); the target's
        // sidecar refuses it for an HTTP app, as daprd's HTTP channel does. It travels as a POST marked with the verb.
        string? verbMark = message.HttpExtension is null ? GrpcInvocation.MissingHttpExtension
            : message.HttpExtension.Verb is Proto.HTTPExtension.Types.Verb.None or Proto.HTTPExtension.Types.Verb.Connect
                ? message.HttpExtension.Verb.ToString().ToUpperInvariant()
                : null;
        var verb = verbMark is null ? message.HttpExtension!.Verb.ToString().ToUpperInvariant() : "POST";
        var query = message.HttpExtension?.Querystring is { Length: > 0 } q ? "?" + q.TrimStart('?') : "";
        var data = message.Data?.Value ?? ByteString.Empty;
        var headers = context.RequestHeaders
            .Where(h => !h.IsBinary && !h.Key.StartsWith("grpc-", StringComparison.OrdinalIgnoreCase) && h.Key != "content-type"
                        && !GrpcInvocation.IsInternalHeader(h.Key))
            .Select(h => KeyValuePair.Create(h.Key, (IEnumerable<string>)[h.Value]));
        if (verbMark is not null)
        {
            headers = headers.Append(KeyValuePair.Create(GrpcInvocation.VerbHeader, (IEnumerable<string>)[verbMark]));
        }

        if (message.Data is { TypeUrl.Length: > 0 } typed)
        {
            // A gRPC app gets the caller's Any as it was sent (daprd passes the InvokeRequest through).
            headers = headers.Append(KeyValuePair.Create(GrpcInvocation.TypeUrlHeader, (IEnumerable<string>)[typed.TypeUrl]));
        }

        using var response = await context.Service<IServiceInvoker>().InvokeAsync(
            new InvocationRequest(request.Id, new HttpMethod(verb), InvocationMethod.ToUriPath(InvocationMethod.Normalize(request.Id, message.Method)) + query, headers,
                data.IsEmpty ? null : new MemoryStream(data.ToByteArray(), writable: false),
                string.IsNullOrEmpty(message.ContentType) ? null : message.ContentType, data.Length, RetryByStatus: false),
            context.CancellationToken);

        var body = await response.Content.ReadAsByteArrayAsync(context.CancellationToken);
        if (GrpcInvocation.StatusOf(response) is { } appStatus)
        {
            return await AnswerFromGrpcAppAsync(response, appStatus, body, context);
        }

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

/// <summary>A gRPC app's answer to an InvokeService caller: its headers, trailers and status as the app sent them.</summary>
// dapr/dapr pkg/api/grpc/grpc.go InvokeService (ErrorFromInternalStatus for a gRPC app's answer)
internal sealed partial class DaprGrpcService
{
    private static async Task<Proto.InvokeResponse> AnswerFromGrpcAppAsync(
        HttpResponseMessage response, Google.Rpc.Status appStatus, byte[] body, ServerCallContext context)
    {
        var headers = new global::Grpc.Core.Metadata();
        foreach (var (name, values) in ForwardedHeaders.Of(response))
        {
            if (!GrpcInvocation.IsInternalHeader(name) && !ForwardedHeaders.IsContentHeader(name))
            {
                foreach (var value in values)
                {
                    headers.Add(name.ToLowerInvariant(), value);
                }
            }
        }

        await context.WriteResponseHeadersAsync(headers);
        var trailers = GrpcInvocation.TrailersOf(response);
        foreach (var trailer in trailers)
        {
            context.ResponseTrailers.Add(trailer);
        }

        if (appStatus.Code != (int)StatusCode.OK)
        {
            var errorTrailers = new global::Grpc.Core.Metadata();
            if (appStatus.Details.Count > 0)
            {
                errorTrailers.Add("grpc-status-details-bin", appStatus.ToByteArray());
            }

            throw new RpcException(new global::Grpc.Core.Status((StatusCode)appStatus.Code, appStatus.Message), errorTrailers);
        }

        return new Proto.InvokeResponse
        {
            Data = new Any
            {
                TypeUrl = response.Headers.TryGetValues(GrpcInvocation.TypeUrlHeader, out var urls) ? urls.First() : "",
                Value = ByteString.CopyFrom(body),
            },
            ContentType = response.Content.Headers.ContentType?.ToString() ?? "",
        };
    }
}

internal sealed partial class DaprGrpcMethodProvider
{
    static partial void AddInvocationMethods(ServiceMethodProviderContext<DaprGrpcService> context) =>
        context.AddDaprUnary<Proto.InvokeServiceRequest, Proto.InvokeResponse>("InvokeService", DaprGrpcService.InvokeService);
}
