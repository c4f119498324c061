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

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();

    public static string NewId(string prefix = "item") => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(40, prefix.Length + 33)];
}
