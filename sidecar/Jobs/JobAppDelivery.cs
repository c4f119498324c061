using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Sidecar.AppChannel;
using Sidecar.AppChannel.GrpcApp;
using Proto = Dapr.Client.Autogen.Grpc.v1;

namespace Sidecar.Jobs;

/// <summary>What became of one delivery of a triggered job.</summary>
internal enum JobDeliveryOutcome
{
    /// <summary>The app answered 2xx.</summary>
    Delivered,

    /// <summary>The app answered 404: daprd counts the trigger as done and does not retry it.</summary>
    NotFound,

    /// <summary>Any other answer, or none: retried by the job's failure policy.</summary>
    Failed,
}

/// <summary>
/// Sends a triggered job to the app as daprd's app channels do. HTTP: <c>POST /job/{name}</c>, content type
/// <c>application/json</c>, the body the job's data as JSON when it is a <c>google.protobuf.Value</c> (what the HTTP
/// API stores) and the packed bytes otherwise (what a gRPC client packed). gRPC: <c>AppCallbackAlpha.OnJobEventAlpha1</c>
/// with the name, the data as packed, method <c>job/{name}</c>, the data's type URL as content type and verb POST;
/// status OK is delivered, NotFound counts as done, anything else is retried.
/// </summary>
internal sealed class JobAppDelivery(IAppChannel app, AppCallbackClients grpcApp)
{
    private const string ValueTypeUrl = "type.googleapis.com/google.protobuf.Value";

    /// <summary>True when there is an app to deliver to.</summary>
    public bool CanDeliver => app.IsConfigured;

    /// <summary>Completes when the app listens.</summary>
    public Task WaitForAppAsync(CancellationToken cancellationToken) => app.WaitForAppPortAsync(cancellationToken);

    public Task<JobDeliveryOutcome> DeliverAsync(string name, Any? data, CancellationToken cancellationToken) =>
        grpcApp.IsConfigured ? DeliverOverGrpcAsync(name, data, cancellationToken) : DeliverOverHttpAsync(name, data, cancellationToken);

    private async Task<JobDeliveryOutcome> DeliverOverGrpcAsync(string name, Any? data, CancellationToken cancellationToken)
    {
        var request = new Dapr.AppCallback.Autogen.Grpc.v1.JobEventRequest
        {
            Name = name,
            Data = data ?? new Any(),
            Method = "job/" + name,
            ContentType = data?.TypeUrl ?? "",
            HttpExtension = new Proto.HTTPExtension { Verb = Proto.HTTPExtension.Types.Verb.Post },
        };
        try
        {
            await grpcApp.ChannelAlpha.OnJobEventAlpha1Async(request, new CallOptions(cancellationToken: cancellationToken));
            return JobDeliveryOutcome.Delivered;
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
        {
            return JobDeliveryOutcome.NotFound;
        }
        catch (RpcException ex) when (ex.StatusCode != StatusCode.Cancelled || !cancellationToken.IsCancellationRequested)
        {
            return JobDeliveryOutcome.Failed;
        }
    }

    private async Task<JobDeliveryOutcome> DeliverOverHttpAsync(string name, Any? data, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "job/" + Uri.EscapeDataString(name.TrimStart('/')))
        {
            Content = new ByteArrayContent(Body(data)) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        try
        {
            using var response = await app.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            return response.IsSuccessStatusCode ? JobDeliveryOutcome.Delivered
                : response.StatusCode == HttpStatusCode.NotFound ? JobDeliveryOutcome.NotFound
                : JobDeliveryOutcome.Failed;
        }
        catch (HttpRequestException)
        {
            return JobDeliveryOutcome.Failed;
        }
    }

    /// <summary>The HTTP body for <paramref name="data"/>.</summary>
    public static byte[] Body(Any? data)
    {
        if (data is null)
        {
            return [];
        }

        if (data.TypeUrl != ValueTypeUrl)
        {
            return data.Value.ToByteArray().AsSpan().Trim(" \t\r\n"u8).ToArray();
        }

        var value = data.Unpack<Value>();
        if (value.KindCase == Value.KindOneofCase.None)
        {
            return [];
        }

        // Protobuf's formatter spaces its output; the app gets compact JSON, as daprd's marshaller writes it.
        using var document = JsonDocument.Parse(JsonFormatter.Default.Format(value));
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            document.RootElement.WriteTo(writer);
        }

        return stream.ToArray();
    }
}
