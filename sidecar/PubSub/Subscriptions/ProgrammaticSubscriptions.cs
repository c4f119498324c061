using System.Net;
using System.Text.Json;
using Sidecar.AppChannel;
using Sidecar.AppChannel.Resources;

namespace Sidecar.PubSub.Subscriptions;

/// <summary>
/// Asks the app for its subscriptions: <c>GET /dapr/subscribe</c> (a gRPC app: <see cref="GrpcProgrammaticSubscriptions"/>);
/// 404 (or no app port) means none. An item that
/// cannot be read (a routing rule outside the supported CEL, no topic) is left out and reported to
/// <c>skipped</c>, naming it; the app's other subscriptions still apply.
/// </summary>
internal static class ProgrammaticSubscriptions
{
    public static async Task<IReadOnlyList<Subscription>> LoadAsync(
        IAppChannel channel, string appId, Action<string> skipped, CancellationToken cancellationToken)
    {
        if (!channel.IsConfigured)
        {
            return [];
        }

        if (channel.GrpcApp is { } grpcApp)
        {
            return await GrpcProgrammaticSubscriptions.LoadAsync(grpcApp, appId, skipped, cancellationToken);
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, channel.UriFor("dapr/subscribe"));
        request.Headers.TryAddWithoutValidation(DaprHeaders.AppId, appId);
        using var response = await channel.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return [];
        }

        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException(
                $"GET /dapr/subscribe on app '{appId}' answered {(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(body)}");
        }

        if (body.Length == 0)
        {
            return [];
        }

        using var document = JsonDocument.Parse(body);
        if (SpecTree.From(document.RootElement) is not IReadOnlyList<object?> items)
        {
            throw new FormatException($"GET /dapr/subscribe on app '{appId}' must answer a JSON array");
        }

        var subscriptions = new List<Subscription>();
        for (var i = 0; i < items.Count; i++)
        {
            try
            {
                subscriptions.Add(SubscriptionParser.Parse(items[i], SubscriptionKind.Programmatic, $"/dapr/subscribe item {i}"));
            }
            catch (FormatException ex)
            {
                skipped(ex.Message);
            }
        }

        return subscriptions;
    }
}
