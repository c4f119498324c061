using System.Text.Json.Serialization;
using Sidecar.Secrets;

namespace Sidecar.Api.Http;

/// <summary>
/// The secrets API: <c>GET /v1.0/secrets/{store}/{key}</c> answers the secret's pairs as a JSON object and
/// <c>GET /v1.0/secrets/{store}/bulk</c> every readable secret as an object of objects; <c>metadata.*</c> query
/// parameters go to the store.
/// </summary>
internal static partial class DaprHttpApi
{
    static partial void MapSecrets(RouteGroupBuilder api)
    {
        var secrets = api.MapGroup("/secrets/{storeName}").WithDaprErrors();
        // A literal segment wins over {key}, as in daprd's router: a secret named "bulk" is read over gRPC only.
        secrets.MapGet("/bulk", GetBulkSecret);
        secrets.MapGet("/{key}", GetSecret);
    }

    private static async Task<IResult> GetSecret(
        string storeName, string key, HttpRequest request, ISecretsApi secrets, CancellationToken cancellationToken)
    {
        var data = await secrets.GetAsync(storeName, key, StateHttpRequests.QueryMetadata(request), cancellationToken);
        return TypedResults.Json(new Dictionary<string, string>(data, StringComparer.Ordinal), SecretsJsonContext.Default.DictionaryStringString);
    }

    private static async Task<IResult> GetBulkSecret(
        string storeName, HttpRequest request, ISecretsApi secrets, CancellationToken cancellationToken)
    {
        var all = await secrets.GetBulkAsync(storeName, StateHttpRequests.QueryMetadata(request), cancellationToken);
        var body = all.ToDictionary(s => s.Key, s => new Dictionary<string, string>(s.Value, StringComparer.Ordinal), StringComparer.Ordinal);
        return TypedResults.Json(body, SecretsJsonContext.Default.DictionaryStringDictionaryStringString);
    }
}

[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(Dictionary<string, Dictionary<string, string>>))]
internal sealed partial class SecretsJsonContext : JsonSerializerContext;
