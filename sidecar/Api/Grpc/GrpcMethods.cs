using Google.Protobuf;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Sidecar.Errors;

namespace Sidecar.Api.Grpc;

/// <summary>
/// Binds hand-written handlers as gRPC methods: protobuf marshallers from the message parsers, and one translation of
/// <see cref="DaprException"/> into the gRPC status its <see cref="DaprError"/> names.
/// </summary>
internal static class GrpcMethods
{
    /// <summary>A marshaller for protobuf message <typeparamref name="T"/>.</summary>
    public static Marshaller<T> Marshaller<T>() where T : IMessage<T>, new() =>
        Marshallers.Create(m => m.ToByteArray(), new MessageParser<T>(() => new T()).ParseFrom);

    /// <summary>Adds unary method <paramref name="name"/> of <paramref name="serviceName"/>.</summary>
    public static void AddUnary<TService, TRequest, TResponse>(
        this ServiceMethodProviderContext<TService> context, string serviceName, string name,
        Func<TRequest, ServerCallContext, Task<TResponse>> handler)
        where TService : class
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        var method = new Method<TRequest, TResponse>(
            MethodType.Unary, serviceName, name, Marshaller<TRequest>(), Marshaller<TResponse>());
        context.AddUnaryMethod(method, [], async (_, request, callContext) =>
        {
            try
            {
                return await handler(request, callContext);
            }
            catch (DaprException ex)
            {
                throw ToRpcException(ex.Error);
            }
        });
    }

    /// <summary>Adds unary method <paramref name="name"/> of the Dapr service.</summary>
    public static void AddDaprUnary<TRequest, TResponse>(
        this ServiceMethodProviderContext<DaprGrpcService> context, string name,
        Func<TRequest, ServerCallContext, Task<TResponse>> handler)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new() =>
        context.AddUnary(DaprGrpcService.ServiceName, name, handler);

    /// <summary>The gRPC exception carrying <paramref name="error"/>'s status and message.</summary>
    public static RpcException ToRpcException(DaprError error) => new(new Status(error.GrpcStatus, error.Message));

    /// <summary>Copies <paramref name="pairs"/> into a protobuf map.</summary>
    public static void Fill(this Google.Protobuf.Collections.MapField<string, string> map, IEnumerable<KeyValuePair<string, string>> pairs)
    {
        foreach (var (key, value) in pairs)
        {
            map[key] = value;
        }
    }

    /// <summary>A service of the sidecar that serves this call.</summary>
    public static T Service<T>(this ServerCallContext context) where T : notnull =>
        context.GetHttpContext().RequestServices.GetRequiredService<T>();
}
