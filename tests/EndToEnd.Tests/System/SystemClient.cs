using System.Globalization;
using System.Net;
using System.Net.Http.Json;

namespace EndToEnd.Tests.WholeSystem;

/// <summary>
/// The system as a client sees it: every call goes through an app's sidecar, over Dapr's HTTP invoke API
/// (<c>/v1.0/invoke/{app}/method/...</c>) on the Dapr HTTP ports of the repository's <c>dapr.yaml</c>.
/// </summary>
public sealed class SystemClient : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private static Uri Invoke(SystemApp app, string path) =>
        new($"http://127.0.0.1:{app.HttpPort}/v1.0/invoke/{app.AppId}/method/{path}");

    public Task<Reply> PutItemAsync(string id, string name, decimal price, int stock) =>
        SendAsync(HttpMethod.Put, Invoke(SystemApp.Catalog, $"items/{id}"), new { name, price, stock });

    public Task<Reply> GetItemAsync(string id) => SendAsync(HttpMethod.Get, Invoke(SystemApp.Catalog, $"items/{id}"));

    public Task<Reply> DeleteItemAsync(string id) => SendAsync(HttpMethod.Delete, Invoke(SystemApp.Catalog, $"items/{id}"));

    /// <summary>Every id the catalog lists, page after page (<c>GET /items?limit=100&amp;cursor=</c>).</summary>
    public async Task<List<string>> ListItemIdsAsync()
    {
        var ids = new List<string>();
        string? cursor = null;
        do
        {
            var reply = await SendAsync(HttpMethod.Get,
                Invoke(SystemApp.Catalog, cursor is null ? "items?limit=100" : $"items?limit=100&cursor={cursor}"));
            Assert.True(reply.Status == HttpStatusCode.OK, $"GET items: {reply}");
            var page = reply.As<ItemPageView>();
            ids.AddRange(page.Items.Select(i => i.Id));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        return ids;
    }

    public Task<Reply> ReserveAsync(string itemId, string orderId, int quantity) =>
        SendAsync(HttpMethod.Post, Invoke(SystemApp.Catalog, $"items/{itemId}/reservations"), new { orderId, quantity });

    public Task<Reply> CreateOrderAsync(string orderId, string customerId, string itemId, int quantity) =>
        SendAsync(HttpMethod.Post, Invoke(SystemApp.Orders, "orders"),
            new { orderId, customerId, lines = new[] { new { itemId, quantity } } });

    public Task<Reply> GetOrderAsync(string orderId) => SendAsync(HttpMethod.Get, Invoke(SystemApp.Orders, $"orders/{orderId}"));

    public Task<Reply> DecideApprovalAsync(string orderId, bool approved) =>
        SendAsync(HttpMethod.Post, Invoke(SystemApp.Orders, $"orders/{orderId}/approval"), new { approved });

    public Task<Reply> GetPaymentAsync(string orderId) => SendAsync(HttpMethod.Get, Invoke(SystemApp.Payments, $"payments/{orderId}"));

    /// <summary>Notifications, most recent first: one order's, or (null) the latest 200 of all.</summary>
    public Task<Reply> ListNotificationsAsync(string? orderId) =>
        SendAsync(HttpMethod.Get, Invoke(SystemApp.Notifications, orderId is null ? "notifications?limit=200" : $"notifications?orderId={orderId}"));

    /// <summary>The sidecar's own health (<c>GET /v1.0/healthz</c>, 204 when ready); a refused connection reads as status 0.</summary>
    public Task<Reply> SidecarHealthAsync(SystemApp app) =>
        TrySendAsync(new Uri($"http://127.0.0.1:{app.HttpPort}/v1.0/healthz"));

    /// <summary>The app's readiness (<c>/health/ready</c>), invoked through its sidecar; a refused connection reads as status 0.</summary>
    public Task<Reply> AppHealthAsync(SystemApp app) => TrySendAsync(Invoke(app, "health/ready"));

    // Polls for a state the system reaches on its own, each failing with the last answer seen.

    public async Task<OrderView> WaitForOrderAsync(string orderId, string status, TimeSpan timeout)
    {
        var reply = await Poll.UntilAsync($"order {orderId} to be {status}", timeout, () => GetOrderAsync(orderId),
            r => r.Status == HttpStatusCode.OK && r.As<OrderView>().Status == status);
        return reply.As<OrderView>();
    }

    public async Task<ItemView> WaitForStockAsync(string itemId, int stock, TimeSpan timeout)
    {
        var reply = await Poll.UntilAsync(
            $"item {itemId} to have stock {stock.ToString(CultureInfo.InvariantCulture)}", timeout, () => GetItemAsync(itemId),
            r => r.Status == HttpStatusCode.OK && r.As<ItemView>().Stock == stock);
        return reply.As<ItemView>();
    }

    /// <summary>Waits for a notification of <paramref name="type"/> recorded for <paramref name="orderId"/>.</summary>
    public async Task<NotificationView> WaitForOrderNotificationAsync(string orderId, string type, TimeSpan timeout)
    {
        var reply = await Poll.UntilAsync($"a '{type}' notification for order {orderId}", timeout, () => ListNotificationsAsync(orderId),
            r => r.Status == HttpStatusCode.OK && r.As<List<NotificationView>>().Any(n => n.Type == type && n.OrderId == orderId));
        return reply.As<List<NotificationView>>().First(n => n.Type == type);
    }

    private async Task<Reply> SendAsync(HttpMethod method, Uri uri, object? body = null)
    {
        using var request = new HttpRequestMessage(method, uri);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await _http.SendAsync(request);
        return new Reply(response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
    }

    private async Task<Reply> TrySendAsync(Uri uri)
    {
        try
        {
            return await SendAsync(HttpMethod.Get, uri);
        }
        catch (HttpRequestException e)
        {
            return new Reply(0, null, e.Message);
        }
        catch (TaskCanceledException e)
        {
            return new Reply(0, null, e.Message);
        }
    }

    public void Dispose() => _http.Dispose();
}
