namespace Sidecar.Api.Grpc;

/// <summary>
/// The <c>dapr.proto.runtime.v1.Dapr</c> service. One partial file per building block
/// (<c>DaprGrpcService.State.cs</c>, <c>.PubSub.cs</c>, ...) holds its handlers and binds them in its
/// <c>Add...Methods</c> partial method.
/// </summary>
internal sealed partial class DaprGrpcService
{
    /// <summary>The gRPC service name the SDK calls.</summary>
    public const string ServiceName = "dapr.proto.runtime.v1.Dapr";
}
