using System.Collections.Immutable;
using System.Net;
using Catalog.Domain;
using Contracts;

namespace Catalog.Tests.Apis;

/// <summary>The listing must show exactly the items that exist, however PUTs and DELETEs interleave or stop halfway.</summary>
public class ItemIndexConsistencyTests
{
    private const int Rounds = 40;

    private static string BucketKey(string id) => $"items-index:{IndexBuckets.Of(id):D2}";

    [Fact]
    public async Task ConcurrentPutAndDeleteOfOneId_KeepItemAndListingInStep()
    {
        await using var app = new CatalogApp();
        var http = app.CreateClient();
        var ids = new List<string>();

        for (var round = 0; round < Rounds; round++)
        {
            var id = CatalogClient.NewId($"race{round:D2}");
            ids.Add(id);
            if (round % 2 == 1)
            {
                // Every other round the item exists already, so the DELETE has something to remove.
                await http.PutItemAsync(id);
            }

            // Creates of other ids move the buckets' ETags under the racing pair, as a busy catalog would.
            var others = Enumerable.Range(0, 2).Select(i => CatalogClient.NewId($"other{round:D2}{i}")).ToList();
            ids.AddRange(others);
            var responses = await Task.WhenAll(
                others.Select(other => http.PutItemAsync(other))
                    .Append(http.PutItemAsync(id))
                    .Append(http.DeleteAsync($"/items/{id}")));

            Assert.All(responses, r => Assert.True(r.IsSuccessStatusCode,
                $"{r.RequestMessage?.Method} {r.RequestMessage?.RequestUri} answered {r.StatusCode}"));
        }

        var all = await http.ListIdsAsync();
        foreach (var id in ids)
        {
            var exists = (await http.GetAsync($"/items/{id}")).StatusCode == HttpStatusCode.OK;
            Assert.True(exists == all.Contains(id), $"item {id} exists: {exists}, listed: {all.Contains(id)}");
        }

        Assert.True(app.Dapr.RejectedStateWrites > 0, "the test should have made writes collide");
    }

    [Fact]
    public async Task ListItems_SkipsAndRemovesAnEntryWhoseItemWasDeleted()
    {
        await using var app = new CatalogApp();
        var http = app.CreateClient();
        var id = CatalogClient.NewId("stale");
        // A delete that stopped after its tombstone: the entry for incarnation 1 is still there.
        app.Dapr.SetState(DaprNames.CatalogStore, $"item:{id}",
            new CatalogItem(id, "", 0m, 0, ImmutableDictionary<string, int>.Empty, 1, Deleted: true));
        app.Dapr.SetState(DaprNames.CatalogStore, BucketKey(id), IndexBucket.Empty.List(id, 1));

        Assert.DoesNotContain(id, await http.ListIdsAsync());
        Assert.Equal(0, app.Dapr.PeekState<IndexBucket>(DaprNames.CatalogStore, BucketKey(id))!.IncarnationOf(id));
    }

    [Fact]
    public async Task ListItems_KeepsAnEntryWhoseItemIsNotLiveYet()
    {
        await using var app = new CatalogApp();
        var http = app.CreateClient();
        var id = CatalogClient.NewId("early");
        // A create that listed incarnation 1 and has not written the item yet (or stopped there).
        app.Dapr.SetState(DaprNames.CatalogStore, BucketKey(id), IndexBucket.Empty.List(id, 1));

        Assert.DoesNotContain(id, await http.ListIdsAsync());
        Assert.Equal(1, app.Dapr.PeekState<IndexBucket>(DaprNames.CatalogStore, BucketKey(id))!.IncarnationOf(id));

        Assert.Equal(HttpStatusCode.Created, (await http.PutItemAsync(id)).StatusCode);
        Assert.Contains(id, await http.ListIdsAsync());
    }

    [Fact]
    public async Task DeleteItem_WhenTheIndexStaysContended_Returns204AndTheItemIsGoneFromGetAndList()
    {
        await using var app = new CatalogApp();
        var http = app.CreateClient();
        var id = CatalogClient.NewId("busyindex");
        await http.PutItemAsync(id);
        // The item's tombstone is the delete; unlisting is repair that may wait.
        app.Dapr.InjectETagConflicts(1000, key: BucketKey(id));

        var response = await http.DeleteAsync($"/items/{id}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/items/{id}")).StatusCode);
        Assert.DoesNotContain(id, await http.ListIdsAsync());
        app.Dapr.InjectETagConflicts(0);
    }

    [Fact]
    public async Task PutItem_AfterDelete_CreatesANewLifeWithoutTheOldReservations()
    {
        await using var app = new CatalogApp();
        var http = app.CreateClient();
        await http.PutItemAsync("phoenix", stock: 10);
        await http.ReserveAsync("phoenix", "order-1", 4);
        await http.DeleteAsync("/items/phoenix");

        var again = await http.PutItemAsync("phoenix", stock: 5);

        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(5, await http.StockOfAsync("phoenix"));
        Assert.Equal(HttpStatusCode.NoContent, (await http.DeleteAsync("/items/phoenix/reservations/order-1")).StatusCode);
        Assert.Equal(5, await http.StockOfAsync("phoenix"));
        Assert.Equal(["phoenix"], await http.ListIdsAsync());
    }
}
