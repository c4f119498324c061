using Google.Protobuf;
using Google.Protobuf.Collections;
using Google.Protobuf.WellKnownTypes;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Sidecar.Components.State;
using Sidecar.State;
using Proto = Dapr.Client.Autogen.Grpc.v1;

namespace Sidecar.Api.Grpc;

/// <summary>The state RPCs: thin adapters over <see cref="IStateApi"/>.</summary>
internal sealed partial class DaprGrpcService
{
    public static async Task<Proto.GetStateResponse> GetState(Proto.GetStateRequest request, ServerCallContext context)
    {
        var item = await context.Service<IStateApi>().GetAsync(request.StoreName, request.Key, request.Metadata, context.CancellationToken);
        var response = new Proto.GetStateResponse { Data = ByteString.CopyFrom(item.Data), Etag = item.ETag };
        response.Metadata.Fill(item.Metadata);
        return response;
    }

    public static async Task<Proto.GetBulkStateResponse> GetBulkState(Proto.GetBulkStateRequest request, ServerCallContext context)
    {
        var items = await context.Service<IStateApi>().GetBulkAsync(
            request.StoreName, request.Keys, request.Parallelism, request.Metadata, context.CancellationToken);
        var response = new Proto.GetBulkStateResponse();
        foreach (var item in items)
        {
            var bulkItem = new Proto.BulkStateItem { Key = item.Key, Data = ByteString.CopyFrom(item.Data), Etag = item.ETag, Error = item.Error ?? "" };
            bulkItem.Metadata.Fill(item.Metadata);
            response.Items.Add(bulkItem);
        }

        return response;
    }

    public static async Task<Empty> SaveState(Proto.SaveStateRequest request, ServerCallContext context)
    {
        await context.Service<IStateApi>().SaveAsync(request.StoreName, [.. request.States.Select(ToSave)], context.CancellationToken);
        return new Empty();
    }

    public static async Task<Empty> DeleteState(Proto.DeleteStateRequest request, ServerCallContext context)
    {
        var delete = new StateDeleteRequest(request.Key, request.Etag?.Value, ToConcurrency(request.Options), request.Metadata);
        await context.Service<IStateApi>().DeleteAsync(request.StoreName, delete, context.CancellationToken);
        return new Empty();
    }

    public static async Task<Empty> DeleteBulkState(Proto.DeleteBulkStateRequest request, ServerCallContext context)
    {
        await context.Service<IStateApi>().DeleteBulkAsync(request.StoreName, [.. request.States.Select(ToDelete)], context.CancellationToken);
        return new Empty();
    }

    public static async Task<Empty> ExecuteStateTransaction(Proto.ExecuteStateTransactionRequest request, ServerCallContext context)
    {
        var operations = request.Operations.Select(o => o.OperationType switch
        {
            "upsert" => (StateRequest)ToSave(o.Request),
            "delete" => ToDelete(o.Request),
            var other => throw StateErrors.UnsupportedOperation(other).ToException(),
        }).ToList();
        await context.Service<IStateApi>().ExecuteTransactionAsync(request.StoreName, operations, context.CancellationToken);
        return new Empty();
    }

    private static StateSaveRequest ToSave(Proto.StateItem item) =>
        new(item.Key, item.Value.ToByteArray(), item.Etag?.Value, ToConcurrency(item.Options), Copy(item.Metadata));

    private static StateDeleteRequest ToDelete(Proto.StateItem item) =>
        new(item.Key, item.Etag?.Value, ToConcurrency(item.Options), Copy(item.Metadata));

    private static Concurrency ToConcurrency(Proto.StateOptions? options) =>
        options?.Concurrency == Proto.StateOptions.Types.StateConcurrency.ConcurrencyFirstWrite ? Concurrency.FirstWrite : Concurrency.LastWrite;

    private static Dictionary<string, string> Copy(MapField<string, string> map) => new(map, StringComparer.Ordinal);
}

/// <summary>Binds the state RPCs.</summary>
internal sealed partial class DaprGrpcMethodProvider
{
    static partial void AddStateMethods(ServiceMethodProviderContext<DaprGrpcService> context)
    {
        context.AddDaprUnary<Proto.GetStateRequest, Proto.GetStateResponse>("GetState", DaprGrpcService.GetState);
        context.AddDaprUnary<Proto.GetBulkStateRequest, Proto.GetBulkStateResponse>("GetBulkState", DaprGrpcService.GetBulkState);
        context.AddDaprUnary<Proto.SaveStateRequest, Empty>("SaveState", DaprGrpcService.SaveState);
        context.AddDaprUnary<Proto.DeleteStateRequest, Empty>("DeleteState", DaprGrpcService.DeleteState);
        context.AddDaprUnary<Proto.DeleteBulkStateRequest, Empty>("DeleteBulkState", DaprGrpcService.DeleteBulkState);
        context.AddDaprUnary<Proto.ExecuteStateTransactionRequest, Empty>("ExecuteStateTransaction", DaprGrpcService.ExecuteStateTransaction);
    }
}
