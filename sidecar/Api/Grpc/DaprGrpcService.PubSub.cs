using Google.Protobuf.WellKnownTypes;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Sidecar.AppChannel;
using Sidecar.PubSub.Publishing;
using Proto = Dapr.Client.Autogen.Grpc.v1;

namespace Sidecar.Api.Grpc;

/// <summary>PublishEvent, and BulkPublishEvent under both its names (stable and Alpha1) with one handler.</summary>
internal sealed partial class DaprGrpcService
{
    public static async Task<Empty> PublishEvent(Proto.PublishEventRequest request, ServerCallContext context)
    {
        await context.Service<IPublisher>().PublishAsync(
            new PublishRequest(request.PubsubName, request.Topic, request.Data.Memory,
                string.IsNullOrEmpty(request.DataContentType) ? null : request.DataContentType,
                new Dictionary<string, string>(request.Metadata, StringComparer.Ordinal),
                context.RequestHeaders.GetValue(TraceContext.TraceParentHeader),
                context.RequestHeaders.GetValue(TraceContext.TraceStateHeader)),
            context.CancellationToken);
        return new Empty();
    }

    public static async Task<Proto.BulkPublishResponse> BulkPublishEvent(Proto.BulkPublishRequest request, ServerCallContext context)
    {
        var entries = request.Entries
            .Select(e => new BulkPublishEntry(e.EntryId, e.Event.Memory, string.IsNullOrEmpty(e.ContentType) ? null : e.ContentType,
                new Dictionary<string, string>(e.Metadata, StringComparer.Ordinal)))
            .ToList();
        var failures = await context.Service<IPublisher>().BulkPublishAsync(
            request.PubsubName, request.Topic, entries, new Dictionary<string, string>(request.Metadata, StringComparer.Ordinal),
            context.RequestHeaders.GetValue(TraceContext.TraceParentHeader),
            context.RequestHeaders.GetValue(TraceContext.TraceStateHeader), context.CancellationToken);

        var response = new Proto.BulkPublishResponse();
        response.FailedEntries.AddRange(failures.Select(f => new Proto.BulkPublishResponseFailedEntry { EntryId = f.EntryId, Error = f.Error }));
        return response;
    }
}

internal sealed partial class DaprGrpcMethodProvider
{
    static partial void AddPubSubMethods(ServiceMethodProviderContext<DaprGrpcService> context)
    {
        context.AddDaprUnary<Proto.PublishEventRequest, Empty>("PublishEvent", DaprGrpcService.PublishEvent);
        context.AddDaprUnary<Proto.BulkPublishRequest, Proto.BulkPublishResponse>("BulkPublishEvent", DaprGrpcService.BulkPublishEvent);
        context.AddDaprUnary<Proto.BulkPublishRequest, Proto.BulkPublishResponse>("BulkPublishEventAlpha1", DaprGrpcService.BulkPublishEvent);
    }
}
