using Grpc.AspNetCore.Server.Model;

namespace Sidecar.Api.Grpc;

/// <summary>The workflow gRPC service <c>TaskHubSidecarService</c>, served on the Dapr gRPC port.</summary>
internal static class TaskHubGrpcApi
{
    public static IServiceCollection AddWorkflowGrpc(this IServiceCollection services)
    {
        services.AddGrpc();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IServiceMethodProvider<TaskHubSidecarService>, TaskHubMethodProvider>());
        services.TryAddSingleton<TaskHubSidecarService>();
        return services;
    }

    public static WebApplication MapWorkflowGrpc(this WebApplication app)
    {
        app.MapGrpcService<TaskHubSidecarService>();
        return app;
    }
}
