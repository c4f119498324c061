using Catalog.Domain;
using Contracts;

namespace Catalog.Tests.Apis;

/// <summary>The id index must list exactly the stored items, however PUTs and DELETEs of one id interleave.</summary>
public class ItemIndexConsistencyTests
{
    private const int Rounds = 40;

    [Fact]
    public async Task ConcurrentPutAndDeleteOfOneId_KeepItemAndIndexInStep()
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

            // Creates of other ids move the index's ETag under the racing pair, as a busy catalog would.
            var others = Enumerable.Range(0, 2).Select(i => CatalogClient.NewId($"other{round:D2}{i}")).ToList();
            ids.AddRange(others);
            var responses = await Task.WhenAll(
                others.Select(other => http.PutItemAsync(other))
                    .Append(http.PutItemAsync(id))
                    .Append(http.DeleteAsync($"/items/{id}")));

            Assert.All(responses, r => Assert.True(r.IsSuccessStatusCode,
                $"{r.RequestMessage?.Method} {r.RequestMessage?.RequestUri} answered {r.StatusCode}"));
        }

        var index = app.Dapr.PeekState<ItemIndex>(DaprNames.StateStore, "items-index") ?? ItemIndex.Empty;
        Assert.All(ids, id => Assert.True(
            app.Dapr.ContainsState(DaprNames.StateStore, $"item:{id}") == index.Contains(id),
            $"item {id} stored: {app.Dapr.ContainsState(DaprNames.StateStore, $"item:{id}")}, listed: {index.Contains(id)}"));
        Assert.True(app.Dapr.RejectedStateWrites > 0, "the test should have made writes collide");
    }

    [Fact]
    public async Task DeleteItem_WhenOnlyAStaleIndexEntryRemains_Returns204AndUnlistsIt()
    {
        await using var app = new CatalogApp();
        var http = app.CreateClient();
        var id = CatalogClient.NewId("stale");
        app.Dapr.SetState(DaprNames.StateStore, "items-index", ItemIndex.Empty.Add(id));

        var response = await http.DeleteAsync($"/items/{id}");

        Assert.Equal(System.Net.HttpStatusCode.NoContent, response.StatusCode);
        Assert.False(app.Dapr.PeekState<ItemIndex>(DaprNames.StateStore, "items-index")!.Contains(id));
    }

    [Fact]
    public async Task DeleteItem_WhenTheIndexStaysContended_Returns503AndKeepsTheItemListed()
    {
        await using var app = new CatalogApp();
        var http = app.CreateClient();
        var id = CatalogClient.NewId("atomic");
        await http.PutItemAsync(id);
        // Item and index go in one transaction: when the index never takes the write, the item must not go either.
        app.Dapr.InjectETagConflicts(new CatalogOptions().MaxWriteAttempts, key: "items-index");

        var response = await http.DeleteAsync($"/items/{id}");

        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.True(app.Dapr.ContainsState(DaprNames.StateStore, $"item:{id}"));
        Assert.True(app.Dapr.PeekState<ItemIndex>(DaprNames.StateStore, "items-index")!.Contains(id));
    }
}
