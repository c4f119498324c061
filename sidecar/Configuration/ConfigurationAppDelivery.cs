using System.Net;
using System.Net.Http.Headers;
using Sidecar.AppChannel;
using Sidecar.AppChannel.Resiliency;
using Sidecar.Components.Configuration;

namespace Sidecar.Configuration;

/// <summary>
/// Delivers the changes of an HTTP subscription to the app as daprd does: for every changed key a
/// <c>POST /configuration/{store}/{key}</c> whose JSON body is the whole change (<c>{"id","items":{key:{"value",
/// "version","metadata"}}}</c>, empty fields left out as Go's <c>omitempty</c> does; a gRPC app gets it as OnInvoke),
/// under the store's inbound
/// resiliency policy (<c>targets.components.&lt;store&gt;.inbound</c>, else <c>DefaultConfigurationComponentInbound…</c>).
/// An answer other than 200, or no answer, is a failure the policy retries whatever its <c>matching</c> says (daprd's
/// error carries no code); once the policy gives up, or without one, it is logged and that key's change is not sent again.
/// </summary>
// dapr/dapr pkg/api/http/http.go configurationEventHandler.updateEventHandler
internal sealed partial class ConfigurationAppDelivery(
    IAppChannel app, IResiliencyPolicies policies, ILogger<ConfigurationAppDelivery> logger)
{
    /// <summary>The change handler of an HTTP subscription to <paramref name="store"/>.</summary>
    public Func<ConfigurationUpdate, CancellationToken, Task> For(string store) =>
        (update, cancellationToken) => DeliverAsync(store, update, cancellationToken);

    private async Task DeliverAsync(string store, ConfigurationUpdate update, CancellationToken cancellationToken)
    {
        var body = ConfigurationJson.Update(update);
        foreach (var key in update.Items.Keys)
        {
            var path = $"configuration/{Uri.EscapeDataString(store)}/{Uri.EscapeDataString(key)}";
            try
            {
                var status = await policies.RunnerForComponentInbound(store, ComponentKind.Configuration).RunAsync(
                    token => PostAsync(path, body, token),
                    status => status == HttpStatusCode.OK ? AttemptVerdict.Success : AttemptVerdict.Failure,
                    null, cancellationToken);
                if (status != HttpStatusCode.OK)
                {
                    LogNotDelivered(logger, store, key, $"status {(int)status}");
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or InvalidOperationException
                                           or TimeoutException or CircuitBreakerOpenException)
            {
                LogNotDelivered(logger, store, key, ex.Message);
            }
        }
    }

    private async Task<HttpStatusCode> PostAsync(string path, byte[] body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        // A gRPC app gets it through the app channel's OnInvoke (method configuration/{store}/{key}, verb POST), as
        // daprd's appChannel.InvokeMethod sends it; its OK reads as 200.
        using var response = app.GrpcApp is { } grpcApp
            ? await AppChannel.GrpcApp.GrpcInvocation.SendAsync(grpcApp, request, cancellationToken)
            : await app.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        return response.StatusCode;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "error sending configuration item to the app: store {Store}, key {Key}: {Problem}")]
    private static partial void LogNotDelivered(ILogger logger, string store, string key, string problem);
}
