using Google.Protobuf.WellKnownTypes;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Sidecar.Metadata;
using Proto = Dapr.Client.Autogen.Grpc.v1;

namespace Sidecar.Api.Grpc;

/// <summary>The metadata and lifecycle RPCs: GetMetadata, SetMetadata, Shutdown.</summary>
internal sealed partial class DaprGrpcService
{
    public static Task<Proto.GetMetadataResponse> GetMetadata(Proto.GetMetadataRequest request, ServerCallContext context)
    {
        var metadata = context.Service<IMetadataApi>().Get();
        var response = new Proto.GetMetadataResponse { Id = metadata.Id, RuntimeVersion = metadata.RuntimeVersion };
        response.ExtendedMetadata.Fill(metadata.Extended);
        foreach (var component in metadata.Components)
        {
            var registered = new Proto.RegisteredComponents { Name = component.Name, Type = component.Type, Version = component.Version };
            registered.Capabilities.Add(component.Capabilities);
            response.RegisteredComponents.Add(registered);
        }

        foreach (var subscription in metadata.Subscriptions)
        {
            response.Subscriptions.Add(ToProto(subscription));
        }

        var app = metadata.AppConnection;
        response.AppConnectionProperties = new Proto.AppConnectionProperties
        {
            Port = app.Port, Protocol = app.Protocol, ChannelAddress = app.ChannelAddress, MaxConcurrency = app.MaxConcurrency,
        };
        if (app.Health is { } health)
        {
            response.AppConnectionProperties.Health = new Proto.AppConnectionHealthProperties
            {
                HealthCheckPath = health.HealthCheckPath ?? "",
                HealthProbeInterval = health.ProbeInterval,
                HealthProbeTimeout = health.ProbeTimeout,
                HealthThreshold = health.Threshold,
            };
        }

        response.EnabledFeatures.Add(metadata.EnabledFeatures);
        response.HttpEndpoints.Add(metadata.HttpEndpoints.Select(name => new Proto.MetadataHTTPEndpoint { Name = name }));
        response.ActorRuntime = new Proto.ActorRuntime
        {
            RuntimeStatus = System.Enum.Parse<Proto.ActorRuntime.Types.ActorRuntimeStatus>(metadata.ActorRuntime.Status, ignoreCase: true),
            HostReady = metadata.ActorRuntime.HostReady,
            Placement = metadata.ActorRuntime.Placement,
        };
        response.Workflows = new Proto.MetadataWorkflows { ConnectedWorkers = metadata.ConnectedWorkflowWorkers };
        return Task.FromResult(response);
    }

    public static Task<Empty> SetMetadata(Proto.SetMetadataRequest request, ServerCallContext context)
    {
        context.Service<IMetadataApi>().Set(request.Key, request.Value);
        return Task.FromResult(new Empty());
    }

    /// <summary>Answers first, then stops the sidecar (as daprd does), so the caller sees success.</summary>
    public static Task<Empty> Shutdown(Proto.ShutdownRequest request, ServerCallContext context)
    {
        var lifetime = context.Service<IHostApplicationLifetime>();
        context.GetHttpContext().Response.OnCompleted(() =>
        {
            lifetime.StopApplication();
            return Task.CompletedTask;
        });
        return Task.FromResult(new Empty());
    }

    private static Proto.PubsubSubscription ToProto(SubscriptionMetadata subscription)
    {
        var result = new Proto.PubsubSubscription
        {
            PubsubName = subscription.PubsubName,
            Topic = subscription.Topic,
            DeadLetterTopic = subscription.DeadLetterTopic,
            Rules = new Proto.PubsubSubscriptionRules(),
            Type = subscription.Type switch
            {
                "DECLARATIVE" => Proto.PubsubSubscriptionType.Declarative,
                "PROGRAMMATIC" => Proto.PubsubSubscriptionType.Programmatic,
                "STREAMING" => Proto.PubsubSubscriptionType.Streaming,
                _ => Proto.PubsubSubscriptionType.Unknown,
            },
        };
        result.Metadata.Fill(subscription.Metadata);
        result.Rules.Rules.Add(subscription.Rules.Select(r => new Proto.PubsubSubscriptionRule { Match = r.Match, Path = r.Path }));
        return result;
    }
}

/// <summary>Binds the metadata RPCs.</summary>
internal sealed partial class DaprGrpcMethodProvider
{
    static partial void AddMetadataMethods(ServiceMethodProviderContext<DaprGrpcService> context)
    {
        context.AddDaprUnary<Proto.GetMetadataRequest, Proto.GetMetadataResponse>("GetMetadata", DaprGrpcService.GetMetadata);
        context.AddDaprUnary<Proto.SetMetadataRequest, Empty>("SetMetadata", DaprGrpcService.SetMetadata);
        context.AddDaprUnary<Proto.ShutdownRequest, Empty>("Shutdown", DaprGrpcService.Shutdown);
    }
}
