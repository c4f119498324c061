using Grpc.AspNetCore.Server.Model;

namespace Sidecar.Api.Grpc;

/// <summary>
/// The gRPC surface. <c>Dapr.Protos</c> ships client stubs only, so each service is bound by hand through
/// <see cref="IServiceMethodProvider{TService}"/>; methods not bound answer <c>Unimplemented</c>, which the SDK reads
/// as "fall back" (e.g. BulkPublishEvent → BulkPublishEventAlpha1).
/// </summary>
internal static class DaprGrpcApi
{
    public static IServiceCollection AddDaprGrpcApi(this IServiceCollection services)
    {
        services.AddGrpc();
        services.AddGrpcReflection();
        // Hand-bound services carry no descriptor for reflection to find, yet the SDK asks reflection which methods
        // exist (VersionAwareDaprClient: BulkPublishEvent vs BulkPublishEventAlpha1): serve the proto descriptors.
        Google.Protobuf.Reflection.ServiceDescriptor[] served =
            [Dapr.Client.Autogen.Grpc.v1.Dapr.Descriptor, Dapr.DurableTask.Protobuf.TaskHubSidecarService.Descriptor];
        services.Replace(ServiceDescriptor.Singleton(new global::Grpc.Reflection.ReflectionServiceImpl(served)));
        services.Replace(ServiceDescriptor.Singleton(new global::Grpc.Reflection.ReflectionV1ServiceImpl(served)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IServiceMethodProvider<DaprGrpcService>, DaprGrpcMethodProvider>());
        services.TryAddSingleton<DaprGrpcService>();
        services.TryAddSingleton<Proxy.GrpcProxyClients>();
        return services;
    }

    public static WebApplication MapDaprGrpcApi(this WebApplication app)
    {
        Proxy.GrpcProxy.UseGrpcProxy(app);
        app.MapGrpcService<DaprGrpcService>();
        app.MapGrpcReflectionService();
        return app;
    }
}
