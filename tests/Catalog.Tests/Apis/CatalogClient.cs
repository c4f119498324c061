using System.Net.Http.Json;
using System.Text.Json;

namespace Catalog.Tests.Apis;

/// <summary>Small helpers over the catalog's HTTP API so tests read as the behaviour they check.</summary>
internal static class CatalogClient
{
    public static Task<HttpResponseMessage> PutItemAsync(this HttpClient http, string id, string name = "Widget",
        decimal price = 9.99m, int stock = 10) =>
        http.PutAsJsonAsync($"/items/{id}", new { name, price, stock });

    public static Task<HttpResponseMessage> ReserveAsync(this HttpClient http, string id, string orderId, int quantity) =>
        http.PostAsJsonAsync($"/items/{id}/reservations", new { orderId, quantity });

    public static async Task<int> StockOfAsync(this HttpClient http, string id)
    {
        var item = await http.GetFromJsonAsync<JsonElement>($"/items/{id}");
        return item.GetProperty("stock").GetInt32();
    }

    /// <summary>Every listed id, page after page.</summary>
    public static async Task<List<string>> ListIdsAsync(this HttpClient http)
    {
        var ids = new List<string>();
        string? cursor = null;
        do
        {
            var page = await http.GetFromJsonAsync<JsonElement>(cursor is null ? "/items?limit=100" : $"/items?limit=100&cursor={cursor}");
            ids.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!));
            cursor = page.GetProperty("nextCursor").ValueKind == JsonValueKind.String ? page.GetProperty("nextCursor").GetString() : null;
        }
        while (cursor is not null);

        return ids;
    }

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();

    public static string NewId(string prefix = "item") => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(40, prefix.Length + 33)];
}
