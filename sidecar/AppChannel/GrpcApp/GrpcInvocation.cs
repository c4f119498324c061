using System.Net.Http.Headers;
using Dapr.Client.Autogen.Grpc.v1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Status = Grpc.Core.Status;
using GrpcHeaders = Grpc.Core.Metadata;

namespace Sidecar.AppChannel.GrpcApp;

/// <summary>
/// Service invocation of a gRPC app: the HTTP-shaped request every invocation travels as becomes
/// <c>AppCallback.OnInvoke</c> (verb and query in <c>HttpExtension</c>, body in <c>data</c>), and the app's answer comes
/// back HTTP-shaped with its status as daprd's HTTP API writes it (<see cref="GrpcStatusToHttp"/>, the status as JSON
/// for an error), plus <c>dapr-local-grpc-*</c> headers that let the gRPC API answer a gRPC caller with the app's own
/// status, data type and trailers. Those headers cross between sidecars and never reach a caller or an app.
/// </summary>
// dapr/dapr pkg/channel/grpc/grpc_channel.go invokeMethodV1; pkg/api/http/directmessaging.go (gRPC answers to HTTP callers)
internal static class GrpcInvocation
{
    /// <summary>On the answer: the app's <c>google.rpc.Status</c> (code, message, details), base64 protobuf.</summary>
    public const string StatusHeader = "dapr-local-grpc-status";

    /// <summary>On the answer: the type URL of the app's <c>data</c> Any. On the request: the caller's.</summary>
    public const string TypeUrlHeader = "dapr-local-grpc-type-url";

    /// <summary>
    /// On the request from a gRPC caller whose InvokeRequest has no usable HTTP verb: <see cref="MissingHttpExtension"/>,
    /// <c>NONE</c> or <c>CONNECT</c>. A gRPC app gets it as sent; an HTTP app's sidecar refuses the call.
    /// </summary>
    public const string VerbHeader = "dapr-local-grpc-verb";

    /// <summary><see cref="VerbHeader"/>'s value for an InvokeRequest without <c>HttpExtension</c>.</summary>
    public const string MissingHttpExtension = "missing";

    /// <summary>On the answer, one value per trailer of the app: <c>key=base64(value)</c>.</summary>
    public const string TrailerHeader = "dapr-local-grpc-trailer";

    private static readonly JsonFormatter StatusJson = new(JsonFormatter.Settings.Default
        .WithTypeRegistry(Google.Protobuf.Reflection.TypeRegistry.FromFiles(Google.Rpc.ErrorDetailsReflection.Descriptor)));

    /// <summary>True for the headers above: they travel between sidecars only.</summary>
    public static bool IsInternalHeader(string name) => name.StartsWith("dapr-local-grpc-", StringComparison.OrdinalIgnoreCase);

    /// <summary>Calls the app's OnInvoke with <paramref name="message"/> (relative URI: method and query).</summary>
    public static async Task<HttpResponseMessage> SendAsync(
        AppCallbackClients clients, HttpRequestMessage message, CancellationToken cancellationToken)
    {
        var request = await ToInvokeRequestAsync(message, cancellationToken);
        var headers = GrpcMetadata.FromHttpHeaders(message.Headers
            .Concat(message.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
            .Where(h => !h.Key.Equals("content-type", StringComparison.OrdinalIgnoreCase)
                        && !h.Key.Equals("content-length", StringComparison.OrdinalIgnoreCase)));

        using var call = clients.ChannelCallback.OnInvokeAsync(request, new CallOptions(headers, cancellationToken: cancellationToken));
        InvokeResponse? answer = null;
        Status status;
        Google.Rpc.Status? details = null;
        try
        {
            answer = await call.ResponseAsync;
            status = Status.DefaultSuccess;
        }
        catch (RpcException e) when (cancellationToken.IsCancellationRequested)
        {
            // The caller gave up or the policy's timeout fired: a cancellation, as with an HTTP app, not the app's answer.
            throw new OperationCanceledException(e.Message, e, cancellationToken);
        }
        catch (RpcException e)
        {
            status = e.Status;
            details = e.Trailers.GetValueBytes("grpc-status-details-bin") is { } bin ? Google.Rpc.Status.Parser.ParseFrom(bin) : null;
        }

        var responseHeaders = await HeadersOf(call);
        return ToHttpResponse(status, details, answer, responseHeaders, TrailersOrEmpty(call));
    }

    private static async Task<InvokeRequest> ToInvokeRequestAsync(HttpRequestMessage message, CancellationToken cancellationToken)
    {
        var relative = message.RequestUri!.OriginalString;
        var split = relative.Split('?', 2);
        var mark = message.Headers.TryGetValues(VerbHeader, out var marks) ? marks.FirstOrDefault() : null;
        var verb = System.Enum.TryParse<HTTPExtension.Types.Verb>(mark ?? message.Method.Method, ignoreCase: true, out var parsed)
            ? parsed : HTTPExtension.Types.Verb.None;
        var body = message.Content is null ? [] : await message.Content.ReadAsByteArrayAsync(cancellationToken);
        var typeUrl = message.Headers.TryGetValues(TypeUrlHeader, out var urls) ? urls.FirstOrDefault() ?? "" : "";
        return new InvokeRequest
        {
            Method = Uri.UnescapeDataString(split[0].TrimStart('/')),
            Data = new Any { TypeUrl = typeUrl, Value = ByteString.CopyFrom(body) },
            ContentType = message.Content?.Headers.ContentType?.ToString() ?? "",
            HttpExtension = mark == MissingHttpExtension ? null : new HTTPExtension { Verb = verb, Querystring = split.Length > 1 ? split[1] : "" },
        };
    }

    private static async Task<GrpcHeaders> HeadersOf(AsyncUnaryCall<InvokeResponse> call)
    {
        try
        {
            return await call.ResponseHeadersAsync;
        }
        catch (RpcException)
        {
            // The call failed before the app sent headers (e.g. it is not listening).
            return [];
        }
    }

    private static GrpcHeaders TrailersOrEmpty(AsyncUnaryCall<InvokeResponse> call)
    {
        try
        {
            return call.GetTrailers();
        }
        catch (InvalidOperationException)
        {
            return [];
        }
    }

    private static HttpResponseMessage ToHttpResponse(
        Status status, Google.Rpc.Status? details, InvokeResponse? answer, GrpcHeaders headers, GrpcHeaders trailers)
    {
        var rpcStatus = details ?? new Google.Rpc.Status { Code = (int)status.StatusCode, Message = status.Detail };
        var response = new HttpResponseMessage((System.Net.HttpStatusCode)GrpcStatusToHttp.StatusFor(status.StatusCode));
        if (status.StatusCode == StatusCode.OK)
        {
            response.Content = new ByteArrayContent(answer?.Data?.Value.ToByteArray() ?? []);
            if (answer is { ContentType.Length: > 0 } && !TrySetContentType(response.Content, answer.ContentType))
            {
                response.Content.Headers.TryAddWithoutValidation("content-type", answer.ContentType);
            }
        }
        else
        {
            // daprd answers the status itself as protojson; it sets no content type, so Go's sniffing names it text/plain.
            response.Content = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(FormatStatus(rpcStatus)));
            response.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("text/plain; charset=utf-8");
        }

        foreach (var (name, value) in GrpcMetadata.ToHttpHeaders(headers))
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        response.Headers.TryAddWithoutValidation(StatusHeader, Convert.ToBase64String(rpcStatus.ToByteArray()));
        if (answer?.Data is { TypeUrl.Length: > 0 } data)
        {
            response.Headers.TryAddWithoutValidation(TypeUrlHeader, data.TypeUrl);
        }

        foreach (var trailer in trailers)
        {
            if (trailer.Key is "grpc-status" or "grpc-message" or "grpc-status-details-bin")
            {
                continue;
            }

            response.Headers.TryAddWithoutValidation(TrailerHeader, $"{trailer.Key}={Convert.ToBase64String(trailer.ValueBytes)}");
        }

        return response;
    }

    private static bool TrySetContentType(HttpContent content, string contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var parsed))
        {
            return false;
        }

        content.Headers.ContentType = parsed;
        return true;
    }

    private static string FormatStatus(Google.Rpc.Status status)
    {
        try
        {
            return StatusJson.Format(status);
        }
        catch (InvalidOperationException)
        {
            // A detail of a type this sidecar does not know: the status without details.
            return StatusJson.Format(new Google.Rpc.Status { Code = status.Code, Message = status.Message });
        }
    }

    /// <summary>
    /// Why an HTTP app cannot take <paramref name="message"/> (a gRPC caller's InvokeRequest without a usable verb), as
    /// daprd's HTTP channel says it; null when it can.
    /// </summary>
    // dapr/dapr pkg/channel/http/http_channel.go invokeMethodV1 (missing HTTP extension field / invalid HTTP verb)
    public static string? RefusalForHttpApp(HttpRequestMessage message) =>
        message.Headers.TryGetValues(VerbHeader, out var marks) && marks.FirstOrDefault() is { } mark
            ? "rpc error: code = Internal desc = error invoking app channel: rpc error: code = InvalidArgument desc = "
              + (mark == MissingHttpExtension ? "missing HTTP extension field" : "invalid HTTP verb")
            : null;

    /// <summary>The app's gRPC status carried by <paramref name="response"/>, or null when an HTTP app answered it.</summary>
    public static Google.Rpc.Status? StatusOf(HttpResponseMessage response) =>
        response.Headers.TryGetValues(StatusHeader, out var values) && values.FirstOrDefault() is { } value
            ? Google.Rpc.Status.Parser.ParseFrom(Convert.FromBase64String(value))
            : null;

    /// <summary>The app's trailers carried by <paramref name="response"/>.</summary>
    public static GrpcHeaders TrailersOf(HttpResponseMessage response)
    {
        var trailers = new GrpcHeaders();
        if (response.Headers.TryGetValues(TrailerHeader, out var values))
        {
            foreach (var value in values.SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)))
            {
                var split = value.Split('=', 2);
                if (split.Length == 2)
                {
                    var bytes = Convert.FromBase64String(split[1]);
                    if (split[0].EndsWith(GrpcHeaders.BinaryHeaderSuffix, StringComparison.Ordinal))
                    {
                        trailers.Add(split[0], bytes);
                    }
                    else
                    {
                        trailers.Add(split[0], System.Text.Encoding.UTF8.GetString(bytes));
                    }
                }
            }
        }

        return trailers;
    }
}
