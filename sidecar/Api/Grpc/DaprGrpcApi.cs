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
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IServiceMethodProvider<DaprGrpcService>, DaprGrpcMethodProvider>());
        services.TryAddSingleton<DaprGrpcService>();
        return services;
    }

    public static WebApplication MapDaprGrpcApi(this WebApplication app)
    {
        app.MapGrpcService<DaprGrpcService>();
        app.MapGrpcReflectionService();
        return app;
    }
}
