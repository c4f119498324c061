using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Sidecar.Secrets;
using Proto = Dapr.Client.Autogen.Grpc.v1;

namespace Sidecar.Api.Grpc;

/// <summary>The secrets RPCs: GetSecret, GetBulkSecret.</summary>
internal sealed partial class DaprGrpcService
{
    public static async Task<Proto.GetSecretResponse> GetSecret(Proto.GetSecretRequest request, ServerCallContext context)
    {
        var data = await context.Service<ISecretsApi>().GetAsync(request.StoreName, request.Key, request.Metadata, context.CancellationToken);
        var response = new Proto.GetSecretResponse();
        response.Data.Fill(data);
        return response;
    }

    public static async Task<Proto.GetBulkSecretResponse> GetBulkSecret(Proto.GetBulkSecretRequest request, ServerCallContext context)
    {
        var all = await context.Service<ISecretsApi>().GetBulkAsync(request.StoreName, request.Metadata, context.CancellationToken);
        var response = new Proto.GetBulkSecretResponse();
        foreach (var (name, pairs) in all)
        {
            var secret = new Proto.SecretResponse();
            secret.Secrets.Fill(pairs);
            response.Data[name] = secret;
        }

        return response;
    }
}

/// <summary>Binds the secrets RPCs.</summary>
internal sealed partial class DaprGrpcMethodProvider
{
    static partial void AddSecretsMethods(ServiceMethodProviderContext<DaprGrpcService> context)
    {
        context.AddDaprUnary<Proto.GetSecretRequest, Proto.GetSecretResponse>("GetSecret", DaprGrpcService.GetSecret);
        context.AddDaprUnary<Proto.GetBulkSecretRequest, Proto.GetBulkSecretResponse>("GetBulkSecret", DaprGrpcService.GetBulkSecret);
    }
}
