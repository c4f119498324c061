using System.Net;

namespace EndToEnd.Tests.WholeSystem;

/// <summary>Catalog through its local sidecar (Dapr invoke API), on the state store and broker of the run's backend.</summary>
public abstract class CatalogSystemTests(SystemFixture fixture)
{
    private static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(20);

    private static string NewItemId(string name) => $"{name}-{Guid.NewGuid():N}";

    [Fact]
    public async Task PutItem_WhenNew_Returns201_AndGetAnswersTheItem()
    {
        var system = await fixture.RunningAsync();
        var id = NewItemId("lamp");

        var created = await system.PutItemAsync(id, "Desk lamp", 24.5m, 7);
        var read = await system.GetItemAsync(id);

        Assert.True(created.Status == HttpStatusCode.Created, $"PUT: {created}");
        Assert.Equal(new ItemView(id, "Desk lamp", 24.5m, 7), created.As<ItemView>());
        Assert.True(read.Status == HttpStatusCode.OK, $"GET: {read}");
        Assert.Equal(new ItemView(id, "Desk lamp", 24.5m, 7), read.As<ItemView>());
    }

    [Fact]
    public async Task GetItem_WhenMissing_Returns404ProblemDetails()
    {
        var system = await fixture.RunningAsync();
        var id = NewItemId("missing");

        var reply = await system.GetItemAsync(id);

        Assert.True(reply.Status == HttpStatusCode.NotFound, $"GET: {reply}");
        Assert.Equal("application/problem+json", reply.MediaType);
        var problem = reply.As<ProblemView>();
        Assert.Equal("Item not found", problem.Title);
        Assert.Equal(404, problem.Status);
        Assert.Contains(id, problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reserve_FiftyConcurrentAgainstStockOf20_Exactly20Succeed_TheRestAre409_AndStockEndsAtZero()
    {
        var system = await fixture.RunningAsync();
        var id = NewItemId("rush");
        var created = await system.PutItemAsync(id, "Limited edition", 5m, 20);
        Assert.True(created.Status == HttpStatusCode.Created, $"PUT: {created}");

        var replies = await Task.WhenAll(Enumerable.Range(0, 50)
            .Select(i => system.ReserveAsync(id, $"order-{i}-{Guid.NewGuid():N}", 1)));

        var unexpected = replies.Where(r => r.Status is not (HttpStatusCode.Created or HttpStatusCode.Conflict)).ToList();
        Assert.True(unexpected.Count == 0, $"answers other than 201/409: {string.Join("\n", unexpected)}");
        Assert.Equal(20, replies.Count(r => r.Status == HttpStatusCode.Created));
        Assert.Equal(30, replies.Count(r => r.Status == HttpStatusCode.Conflict));
        var item = await system.GetItemAsync(id);
        Assert.Equal(0, item.As<ItemView>().Stock);
    }

    [Fact]
    public async Task DeleteDuringConcurrentReservations_ItemStaysDeleted_AndEveryReservationIs201Or404()
    {
        var system = await fixture.RunningAsync();
        var id = NewItemId("vanish");
        var created = await system.PutItemAsync(id, "Vanishing", 3m, 100);
        Assert.True(created.Status == HttpStatusCode.Created, $"PUT: {created}");

        var reservations = Enumerable.Range(0, 40).Select(i => system.ReserveAsync(id, $"order-{i}-{Guid.NewGuid():N}", 1)).ToList();
        var deleted = await system.DeleteItemAsync(id);
        var replies = await Task.WhenAll(reservations);

        Assert.True(deleted.Status == HttpStatusCode.NoContent, $"DELETE: {deleted}");
        var unexpected = replies.Where(r => r.Status is not (HttpStatusCode.Created or HttpStatusCode.NotFound)).ToList();
        Assert.True(unexpected.Count == 0, $"answers other than 201/404: {string.Join("\n", unexpected)}");
        // A reservation that read the item before the delete must not bring it back.
        var read = await system.GetItemAsync(id);
        Assert.True(read.Status == HttpStatusCode.NotFound, $"GET after the race: {read}");
        Assert.DoesNotContain(id, await system.ListItemIdsAsync());
        var late = await system.ReserveAsync(id, $"order-late-{Guid.NewGuid():N}", 1);
        Assert.True(late.Status == HttpStatusCode.NotFound, $"reserve after delete: {late}");
    }

    [Fact]
    public async Task PutItem_IsRecordedByNotifications_AsItemUpserted()
    {
        var system = await fixture.RunningAsync();
        var id = NewItemId("kettle");

        var created = await system.PutItemAsync(id, "Kettle", 31m, 3);
        Assert.True(created.Status == HttpStatusCode.Created, $"PUT: {created}");

        // The item.upserted record names the item in its message (it has no order id).
        await Poll.UntilAsync($"an item.upserted notification for {id}", EventTimeout, () => system.ListNotificationsAsync(null),
            r => r.Status == HttpStatusCode.OK && r.As<List<NotificationView>>()
                .Any(n => n.Type == "item.upserted" && n.Topic == "items" && n.Message.Contains($"Item {id} ", StringComparison.Ordinal)));
    }
}

[Collection(EmbeddedSystemCollection.Name)]
public sealed class CatalogOnEmbedded(EmbeddedSystemFixture fixture) : CatalogSystemTests(fixture);

[Collection(RedisSystemCollection.Name)]
public sealed class CatalogOnRedis(RedisSystemFixture fixture) : CatalogSystemTests(fixture);
