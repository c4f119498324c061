using System.Net.Http.Headers;
using Sidecar.AppChannel;
using Sidecar.Components.Configuration;

namespace Sidecar.Configuration;

/// <summary>
/// Delivers the changes of an HTTP subscription to the app as daprd does: for every changed key a
/// <c>POST /configuration/{store}/{key}</c> whose JSON body is the whole change (<c>{"id","items":{key:{"value",
/// "version","metadata"}}}</c>, empty fields left out as Go's <c>omitempty</c> does). An answer other than 200, or no
/// answer, is logged and the change is not sent again, as in daprd without a resiliency policy.
/// </summary>
internal sealed partial class ConfigurationAppDelivery(IAppChannel app, ILogger<ConfigurationAppDelivery> logger)
{
    /// <summary>The change handler of an HTTP subscription to <paramref name="store"/>.</summary>
    public Func<ConfigurationUpdate, CancellationToken, Task> For(string store) =>
        (update, cancellationToken) => DeliverAsync(store, update, cancellationToken);

    private async Task DeliverAsync(string store, ConfigurationUpdate update, CancellationToken cancellationToken)
    {
        var body = ConfigurationJson.Update(update);
        foreach (var key in update.Items.Keys)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"configuration/{Uri.EscapeDataString(store)}/{Uri.EscapeDataString(key)}")
            {
                Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
            };
            try
            {
                using var response = await app.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                if (response.StatusCode != System.Net.HttpStatusCode.OK)
                {
                    LogNotDelivered(logger, store, key, $"status {(int)response.StatusCode}");
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or InvalidOperationException)
            {
                LogNotDelivered(logger, store, key, ex.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "error sending configuration item to the app: store {Store}, key {Key}: {Problem}")]
    private static partial void LogNotDelivered(ILogger logger, string store, string key, string problem);
}
