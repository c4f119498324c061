using System.Threading.Channels;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Sidecar.Components.Configuration;
using Sidecar.Configuration;
using Sidecar.Errors;
using Proto = Dapr.Client.Autogen.Grpc.v1;

namespace Sidecar.Api.Grpc;

/// <summary>
/// The configuration RPCs and their <c>...Alpha1</c> names: GetConfiguration; SubscribeConfiguration, a server stream
/// whose first message carries only the subscription id and each later one a change, open until the client leaves or
/// UnsubscribeConfiguration names its id (answered <c>ok=false</c> with a message for an unknown id, as daprd does).
/// </summary>
internal sealed partial class DaprGrpcService
{
    public static async Task<Proto.GetConfigurationResponse> GetConfiguration(Proto.GetConfigurationRequest request, ServerCallContext context)
    {
        var items = await context.Service<IConfigurationApi>().GetAsync(
            request.StoreName, [.. request.Keys], request.Metadata, context.CancellationToken);
        var response = new Proto.GetConfigurationResponse();
        foreach (var (key, item) in items)
        {
            response.Items[key] = ToProto(item);
        }

        return response;
    }

    public static async Task SubscribeConfiguration(
        Proto.SubscribeConfigurationRequest request, IServerStreamWriter<Proto.SubscribeConfigurationResponse> stream, ServerCallContext context)
    {
        var configuration = context.Service<IConfigurationApi>();
        var streams = context.Service<ConfigurationStreams>();
        // Changes queue here and one loop writes them: a gRPC stream takes one write at a time, and the first message
        // (the id) must go out before any change.
        var changes = Channel.CreateUnbounded<ConfigurationUpdate>(new UnboundedChannelOptions { SingleReader = true });
        var id = await configuration.SubscribeAsync(
            request.StoreName, [.. request.Keys.Order(StringComparer.Ordinal)], request.Metadata,
            (update, _) => changes.Writer.WriteAsync(update).AsTask(), context.CancellationToken);
        var stopped = streams.Register(id);
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, stopped);
        try
        {
            await stream.WriteAsync(new Proto.SubscribeConfigurationResponse { Id = id });
            await foreach (var update in changes.Reader.ReadAllAsync(ended.Token))
            {
                var message = new Proto.SubscribeConfigurationResponse { Id = update.Id };
                foreach (var (key, item) in update.Items)
                {
                    message.Items[key] = ToProto(item);
                }

                await stream.WriteAsync(message, ended.Token);
            }
        }
        catch (OperationCanceledException) when (ended.IsCancellationRequested)
        {
            // The client left or unsubscribed: the stream ends normally.
        }
        finally
        {
            streams.Remove(id);
            try
            {
                await configuration.UnsubscribeAsync(request.StoreName, id, CancellationToken.None);
            }
            catch (DaprException)
            {
                // Already ended in the store.
            }
        }
    }

    public static Task<Proto.UnsubscribeConfigurationResponse> UnsubscribeConfiguration(
        Proto.UnsubscribeConfigurationRequest request, ServerCallContext context)
    {
        var stopped = context.Service<ConfigurationStreams>().Stop(request.Id);
        return Task.FromResult(stopped
            ? new Proto.UnsubscribeConfigurationResponse { Ok = true }
            : new Proto.UnsubscribeConfigurationResponse
            {
                Ok = false,
                Message = $"failed to unsubscribe to configuration request {request.Id}: subscription does not exist",
            });
    }

    private static Proto.ConfigurationItem ToProto(ConfigurationItem item)
    {
        var proto = new Proto.ConfigurationItem { Value = item.Value, Version = item.Version };
        proto.Metadata.Fill(item.Metadata);
        return proto;
    }
}

/// <summary>Binds the configuration RPCs under their names and their <c>...Alpha1</c> names.</summary>
internal sealed partial class DaprGrpcMethodProvider
{
    static partial void AddConfigurationMethods(ServiceMethodProviderContext<DaprGrpcService> context)
    {
        foreach (var suffix in new[] { "", "Alpha1" })
        {
            context.AddDaprUnary<Proto.GetConfigurationRequest, Proto.GetConfigurationResponse>(
                "GetConfiguration" + suffix, DaprGrpcService.GetConfiguration);
            context.AddDaprUnary<Proto.UnsubscribeConfigurationRequest, Proto.UnsubscribeConfigurationResponse>(
                "UnsubscribeConfiguration" + suffix, DaprGrpcService.UnsubscribeConfiguration);
            var method = new Method<Proto.SubscribeConfigurationRequest, Proto.SubscribeConfigurationResponse>(
                MethodType.ServerStreaming, DaprGrpcService.ServiceName, "SubscribeConfiguration" + suffix,
                GrpcMethods.Marshaller<Proto.SubscribeConfigurationRequest>(), GrpcMethods.Marshaller<Proto.SubscribeConfigurationResponse>());
            context.AddServerStreamingMethod(method, [], async (_, request, stream, callContext) =>
            {
                try
                {
                    await DaprGrpcService.SubscribeConfiguration(request, stream, callContext);
                }
                catch (DaprException ex)
                {
                    throw GrpcMethods.ToRpcException(ex.Error);
                }
            });
        }
    }
}
