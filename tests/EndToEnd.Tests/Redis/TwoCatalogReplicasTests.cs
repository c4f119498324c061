using System.Net;
using EndToEnd.Tests.WholeSystem;

namespace EndToEnd.Tests.Redis;

/// <summary>
/// Point 5 of the issue: two replicas of catalog (same app id, own sidecars, one Redis) behind name resolution.
/// Invocations are spread over both, an item event is recorded once, and concurrent reservations through both
/// replicas never sell more than the stock.
/// </summary>
public sealed class TwoCatalogReplicasTests(TwoCatalogReplicas replicas) : IClassFixture<TwoCatalogReplicas>
{
    private static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(30);

    private static string NewId(string name) => $"{name}-{Guid.NewGuid():N}";

    [Fact]
    public async Task Invocations_FromOneSidecar_AreSpreadOverBothReplicas()
    {
        var id = NewId("spread");
        var created = await replicas.SendAsync(HttpMethod.Put, replicas.HttpPorts.CatalogA, "catalog", $"items/{id}", new { name = "Spread", price = 1m, stock = 1 });
        Assert.True(created.Status == HttpStatusCode.Created, $"PUT: {created}");

        for (var i = 0; i < 20; i++)
        {
            var read = await replicas.SendAsync(HttpMethod.Get, replicas.HttpPorts.Notifications, "catalog", $"items/{id}");
            Assert.True(read.Status == HttpStatusCode.OK, $"GET {i}: {read}");
        }

        // Notifications' sidecar takes turns between the catalog of its own run and the one of run B. The runners print
        // the apps' lines as they come, so the count waits until all 20 reads are in the output.
        var (a, b) = await ServedAsync("GET", $"items/{id}", 20);
        Assert.True((a, b) == (10, 10), $"replica A served {a}, replica B {b} of 20 reads\n{replicas.Output}");
    }

    [Fact]
    public async Task ItemEvent_FromEitherReplica_IsRecordedByNotificationsExactlyOnce()
    {
        var id = NewId("once");

        var created = await replicas.SendAsync(HttpMethod.Put, replicas.HttpPorts.CatalogB, "catalog", $"items/{id}", new { name = "Once", price = 3m, stock = 2 });
        Assert.True(created.Status == HttpStatusCode.Created, $"PUT: {created}");

        await Poll.UntilAsync($"an item.upserted notification for {id}", EventTimeout, () => RecordedAsync(id), n => n >= 1);
        // Give a duplicate delivery (a second consumer, a redelivery) time to show up before counting.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(1, await RecordedAsync(id));
    }

    [Fact]
    public async Task ConcurrentReservations_ThroughBothReplicas_NeverOversell()
    {
        var id = NewId("rush");
        var created = await replicas.SendAsync(HttpMethod.Put, replicas.HttpPorts.CatalogA, "catalog", $"items/{id}", new { name = "Rush", price = 5m, stock = 20 });
        Assert.True(created.Status == HttpStatusCode.Created, $"PUT: {created}");

        var replies = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => replicas.SendAsync(
            HttpMethod.Post, i % 2 == 0 ? replicas.HttpPorts.CatalogA : replicas.HttpPorts.CatalogB, "catalog",
            $"items/{id}/reservations", new { orderId = $"order-{i}-{Guid.NewGuid():N}", quantity = 1 })));

        var unexpected = replies.Where(r => r.Status is not (HttpStatusCode.Created or HttpStatusCode.Conflict)).ToList();
        Assert.True(unexpected.Count == 0, $"answers other than 201/409: {string.Join("\n", unexpected)}");
        Assert.Equal(20, replies.Count(r => r.Status == HttpStatusCode.Created));
        Assert.Equal(30, replies.Count(r => r.Status == HttpStatusCode.Conflict));
        var item = await replicas.SendAsync(HttpMethod.Get, replicas.HttpPorts.CatalogB, "catalog", $"items/{id}");
        Assert.Equal(0, item.As<ItemView>().Stock);
        var (a, b) = await ServedAsync("POST", $"items/{id}/reservations", 50);
        Assert.True(a > 0 && b > 0, $"both replicas must have taken reservations: A {a}, B {b}");
    }

    /// <summary>How many <paramref name="method"/> <paramref name="path"/> requests each replica printed, once <paramref name="total"/> are printed.</summary>
    private Task<(int A, int B)> ServedAsync(string method, string path, int total) =>
        Poll.UntilAsync($"{total} {method} /{path} lines in the replicas' output", EventTimeout,
            () => Task.FromResult((replicas.Served(true, method, path), replicas.Served(false, method, path))),
            served => served.Item1 + served.Item2 >= total);

    private async Task<int> RecordedAsync(string itemId)
    {
        var reply = await replicas.SendAsync(HttpMethod.Get, replicas.HttpPorts.Notifications, "notifications", "notifications?limit=200");
        return reply.Status != HttpStatusCode.OK ? 0
            : reply.As<List<NotificationView>>().Count(n => n.Type == "item.upserted" && n.Message.Contains($"Item {itemId} ", StringComparison.Ordinal));
    }
}
