using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Sidecar.Locks;
using Proto = Dapr.Client.Autogen.Grpc.v1;

namespace Sidecar.Api.Grpc;

/// <summary>The distributed lock RPCs (alpha): TryLockAlpha1, UnlockAlpha1.</summary>
// dapr/dapr pkg/api/universal/lock.go
internal sealed partial class DaprGrpcService
{
    public static async Task<Proto.TryLockResponse> TryLockAlpha1(Proto.TryLockRequest request, ServerCallContext context)
    {
        var success = await context.Service<ILockApi>().TryLockAsync(
            request.StoreName, request.ResourceId, request.LockOwner, request.ExpiryInSeconds, context.CancellationToken);
        return new Proto.TryLockResponse { Success = success };
    }

    public static async Task<Proto.UnlockResponse> UnlockAlpha1(Proto.UnlockRequest request, ServerCallContext context)
    {
        var status = await context.Service<ILockApi>().UnlockAsync(
            request.StoreName, request.ResourceId, request.LockOwner, context.CancellationToken);
        return new Proto.UnlockResponse { Status = (Proto.UnlockResponse.Types.Status)(int)status };
    }
}

/// <summary>Binds the distributed lock RPCs.</summary>
internal sealed partial class DaprGrpcMethodProvider
{
    static partial void AddLockMethods(ServiceMethodProviderContext<DaprGrpcService> context)
    {
        context.AddDaprUnary<Proto.TryLockRequest, Proto.TryLockResponse>("TryLockAlpha1", DaprGrpcService.TryLockAlpha1);
        context.AddDaprUnary<Proto.UnlockRequest, Proto.UnlockResponse>("UnlockAlpha1", DaprGrpcService.UnlockAlpha1);
    }
}
