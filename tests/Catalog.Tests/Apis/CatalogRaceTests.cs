using System.Net;

namespace Catalog.Tests.Apis;

/// <summary>
/// Races played out deterministically over a double that keeps Redis's rules: at every read a request makes,
/// another whole request runs before the first one goes on. Whatever the point, the outcome must be one a serial
/// order of the two requests could give.
/// </summary>
public class CatalogRaceTests
{
    private const int MaxReadPoints = 12;

    [Fact]
    public async Task DeleteDuringReservation_AtEveryPoint_ItemStaysDeletedAndTheReservationIs404()
    {
        await using var app = new CatalogApp();
        var http = app.CreateClient();
        var points = 0;
        for (var point = 1; point <= MaxReadPoints; point++)
        {
            var id = CatalogClient.NewId($"gone{point:D2}");
            await http.PutItemAsync(id, stock: 10);
            app.Dapr.InterleaveAfterRead(point, async () =>
                Assert.Equal(HttpStatusCode.NoContent, (await http.DeleteAsync($"/items/{id}")).StatusCode));

            var reserve = await http.ReserveAsync(id, "order-1", 2);
            if (app.Dapr.InterleavePending)
            {
                break; // the reservation made fewer reads than this: every point was tried
            }

            points++;
            Assert.Equal((point, HttpStatusCode.NotFound), (point, reserve.StatusCode));
            Assert.Equal((point, HttpStatusCode.NotFound), (point, (await http.GetAsync($"/items/{id}")).StatusCode));
            Assert.DoesNotContain(id, await http.ListIdsAsync());
        }

        Assert.True(points > 0, "the reservation should have read state at least once");
    }

    [Fact]
    public async Task CreatesDuringAFirstCreate_AtEveryPoint_EveryItemIsListed()
    {
        var points = 0;
        for (var point = 1; point <= MaxReadPoints; point++)
        {
            // A fresh, empty catalog each time: the first creates are the ones that make the index.
            await using var app = new CatalogApp();
            var http = app.CreateClient();
            var others = Enumerable.Range(0, 40).Select(i => $"other-{point:D2}-{i:D2}").ToList();
            app.Dapr.InterleaveAfterRead(point, async () =>
            {
                foreach (var other in others)
                {
                    Assert.Equal(HttpStatusCode.Created, (await http.PutItemAsync(other)).StatusCode);
                }
            });

            var first = await http.PutItemAsync("first");
            if (app.Dapr.InterleavePending)
            {
                break;
            }

            points++;
            Assert.Equal((point, HttpStatusCode.Created), (point, first.StatusCode));
            Assert.Equal([.. others.Append("first").Order(StringComparer.Ordinal)], await http.ListIdsAsync());
        }

        Assert.True(points > 0, "the create should have read state at least once");
    }

    [Fact]
    public async Task RecreateDuringDelete_AtEveryPoint_TheItemIsListedIffItExists()
    {
        await using var app = new CatalogApp();
        var http = app.CreateClient();
        var points = 0;
        for (var point = 1; point <= MaxReadPoints; point++)
        {
            var id = CatalogClient.NewId($"back{point:D2}");
            await http.PutItemAsync(id);
            app.Dapr.InterleaveAfterRead(point, async () => await http.PutItemAsync(id, stock: 3));

            Assert.Equal(HttpStatusCode.NoContent, (await http.DeleteAsync($"/items/{id}")).StatusCode);
            if (app.Dapr.InterleavePending)
            {
                break;
            }

            points++;
            var exists = (await http.GetAsync($"/items/{id}")).StatusCode == HttpStatusCode.OK;
            Assert.Equal((point, exists), (point, (await http.ListIdsAsync()).Contains(id)));
        }

        Assert.True(points > 0, "the delete should have read state at least once");
    }
}
