using System.Text.Json;
using Sidecar.AppChannel;
using Sidecar.Configuration;
using Sidecar.Errors;

namespace Sidecar.Api.Http;

/// <summary>
/// The configuration API under <c>/v1.0</c> and <c>/v1.0-alpha1</c>, as daprd serves it: <c>GET configuration/{store}?key=a&amp;key=b</c>
/// answers the items as a JSON object (204 when none), <c>GET configuration/{store}/subscribe?key=</c> answers
/// <c>{"id"}</c> and delivers changes to the app's <c>POST /configuration/{store}/{key}</c>, and
/// <c>GET configuration/{store}/{id}/unsubscribe</c> answers <c>{"ok":true}</c>; <c>metadata.*</c> query parameters go to the store.
/// </summary>
internal static partial class DaprHttpApi
{
    private static readonly string[] ConfigurationApiVersions = ["v1.0", "v1.0-alpha1"];

    static partial void MapConfiguration(WebApplication app)
    {
        foreach (var version in ConfigurationApiVersions)
        {
            var configuration = app.MapGroup($"/{version}/configuration/{{storeName}}").WithDaprErrors();
            configuration.MapGet("/", GetConfiguration);
            configuration.MapGet("/subscribe", SubscribeConfiguration);
            configuration.MapGet("/{subscriptionId}/unsubscribe", UnsubscribeConfiguration);
        }
    }

    private static async Task<IResult> GetConfiguration(
        string storeName, HttpRequest request, IConfigurationApi configuration, CancellationToken cancellationToken)
    {
        var items = await configuration.GetAsync(storeName, Keys(request), StateHttpRequests.QueryMetadata(request), cancellationToken);
        return items.Count == 0 ? TypedResults.NoContent() : TypedResults.Bytes(ConfigurationJson.Items(items), "application/json");
    }

    private static async Task<IResult> SubscribeConfiguration(
        string storeName, HttpRequest request, IConfigurationApi configuration, IAppChannel app,
        ConfigurationAppDelivery delivery, CancellationToken cancellationToken)
    {
        if (!app.IsConfigured)
        {
            return DaprErrorResults.From(ConfigurationErrors.AppChannelNil());
        }

        var id = await configuration.SubscribeAsync(
            storeName, Keys(request), StateHttpRequests.QueryMetadata(request), delivery.For(storeName), cancellationToken);
        return TypedResults.Bytes(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["id"] = id }, SecretsJsonContext.Default.DictionaryStringString), "application/json");
    }

    private static async Task<IResult> UnsubscribeConfiguration(
        string storeName, string subscriptionId, IConfigurationApi configuration, CancellationToken cancellationToken)
    {
        try
        {
            await configuration.UnsubscribeAsync(storeName, subscriptionId, cancellationToken);
        }
        catch (DaprException ex) when (ex.Error.ErrorCode == "ERR_CONFIGURATION_UNSUBSCRIBE")
        {
            // daprd answers a failed unsubscribe with its own shape, {"message"} ("ok" false is left out), not an error body.
            return TypedResults.Json(
                new Dictionary<string, string> { ["message"] = ex.Error.Message }, SecretsJsonContext.Default.DictionaryStringString,
                statusCode: StatusCodes.Status500InternalServerError);
        }

        return TypedResults.Bytes("""{"ok":true}"""u8.ToArray(), "application/json");
    }

    private static string[] Keys(HttpRequest request) => [.. request.Query["key"].Where(k => k is not null).Select(k => k!)];
}
