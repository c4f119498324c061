using Microsoft.Extensions.Time.Testing;
using Sidecar.Components.State;

namespace Sidecar.Tests.Components.State;

/// <summary>The ETag, first-write, TTL and transaction rules, run against both built-in stores.</summary>
public sealed class StateStoreRulesTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly string _folder = Directory.CreateTempSubdirectory("state-rules-").FullName;
    private readonly List<IDisposable> _stores = [];

    public static TheoryData<string> Stores => ["in-memory", "sqlite"];

    private IStateStore Create(string kind, TimeProvider? time = null)
    {
        time ??= _time;
        if (kind == "in-memory")
        {
            return new InMemoryStateStore(time);
        }

        var store = new SqliteStateStore($"Data Source={Path.Combine(_folder, "state.db")}", "state", time);
        _stores.Add(store);
        return store;
    }

    private static StateSetOperation Set(string key, string value, string? etag = null, Concurrency concurrency = Concurrency.LastWrite,
        DateTimeOffset? expiresAt = null) => new(key, System.Text.Encoding.UTF8.GetBytes(value), etag, concurrency, expiresAt);

    [Theory, MemberData(nameof(Stores))]
    public async Task Set_EachWrite_MakesANewETag(string kind)
    {
        var store = Create(kind);
        var first = await store.SetAsync(Set("k", "1"), default);
        var second = await store.SetAsync(Set("k", "2"), default);

        Assert.NotEqual(first, second);
        var entry = await store.GetAsync("k", default);
        Assert.Equal(("2", second), (System.Text.Encoding.UTF8.GetString(entry!.Value), entry.ETag));
    }

    [Theory, MemberData(nameof(Stores))]
    public async Task Set_WithStaleETag_ThrowsMismatchAndKeepsTheValue(string kind)
    {
        var store = Create(kind);
        var stale = await store.SetAsync(Set("k", "1"), default);
        await store.SetAsync(Set("k", "2"), default);

        await Assert.ThrowsAsync<StateETagMismatchException>(() => store.SetAsync(Set("k", "3", stale), default));
        Assert.Equal("2", System.Text.Encoding.UTF8.GetString((await store.GetAsync("k", default))!.Value));
    }

    [Theory, MemberData(nameof(Stores))]
    public async Task Set_WithETagOnMissingItem_ThrowsMismatch(string kind)
    {
        var store = Create(kind);

        await Assert.ThrowsAsync<StateETagMismatchException>(() => store.SetAsync(Set("missing", "1", "12345"), default));
    }

    [Theory, MemberData(nameof(Stores))]
    public async Task Set_WithMalformedETag_ThrowsInvalid(string kind)
    {
        var store = Create(kind);
        await store.SetAsync(Set("k", "1"), default);

        await Assert.ThrowsAsync<StateETagInvalidException>(() => store.SetAsync(Set("k", "2", "not-an-etag"), default));
    }

    [Theory, MemberData(nameof(Stores))]
    public async Task Set_FirstWriteWithoutETag_FailsOnlyWhenTheItemExists(string kind)
    {
        var store = Create(kind);
        await store.SetAsync(Set("k", "1", concurrency: Concurrency.FirstWrite), default);

        await Assert.ThrowsAsync<StateETagMismatchException>(() => store.SetAsync(Set("k", "2", concurrency: Concurrency.FirstWrite), default));
        await store.SetAsync(Set("k", "3"), default); // last-write without an ETag always writes
    }

    [Theory, MemberData(nameof(Stores))]
    public async Task Delete_WithWrongETag_ThrowsMismatchAndKeepsTheItem(string kind)
    {
        var store = Create(kind);
        var etag = await store.SetAsync(Set("k", "1"), default);

        await Assert.ThrowsAsync<StateETagMismatchException>(() => store.DeleteAsync(new StateDeleteOperation("k", etag == "1" ? "2" : "1", Concurrency.LastWrite), default));
        await store.DeleteAsync(new StateDeleteOperation("k", etag, Concurrency.LastWrite), default);
        Assert.Null(await store.GetAsync("k", default));
    }

    [Theory, MemberData(nameof(Stores))]
    public async Task Get_AfterExpiry_ReadsAsMissing(string kind)
    {
        var store = Create(kind);
        await store.SetAsync(Set("k", "1", expiresAt: _time.GetUtcNow().AddSeconds(10)), default);

        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.NotNull(await store.GetAsync("k", default));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(await store.GetAsync("k", default));
        // An expired item is missing for first-write too.
        await store.SetAsync(Set("k", "2", concurrency: Concurrency.FirstWrite), default);
    }

    [Theory, MemberData(nameof(Stores))]
    public async Task Transaction_WithOneBadETag_AppliesNothing(string kind)
    {
        var store = Create(kind);
        var etag = await store.SetAsync(Set("a", "1"), default);

        await Assert.ThrowsAsync<StateETagMismatchException>(() => store.ExecuteTransactionAsync(
            [Set("a", "2", etag), Set("b", "new"), new StateDeleteOperation("a", "999", Concurrency.LastWrite)], default));

        Assert.Equal(etag, (await store.GetAsync("a", default))!.ETag);
        Assert.Null(await store.GetAsync("b", default));
    }

    [Theory, MemberData(nameof(Stores))]
    public async Task Transaction_WithGoodETags_AppliesAll(string kind)
    {
        var store = Create(kind);
        var etag = await store.SetAsync(Set("a", "1"), default);

        await store.ExecuteTransactionAsync([Set("a", "2", etag), Set("b", "new"), new StateDeleteOperation("c", null, Concurrency.LastWrite)], default);

        Assert.Equal("2", System.Text.Encoding.UTF8.GetString((await store.GetAsync("a", default))!.Value));
        Assert.NotNull(await store.GetAsync("b", default));
    }

    [Theory, MemberData(nameof(Stores))]
    public async Task ExpiredItems_NeverRead_AreSweptByLaterWrites(string kind)
    {
        var clock = new ManualClock { Now = _time.GetUtcNow() };
        var store = Create(kind, clock);
        await store.SetAsync(Set("short-lived", "1", expiresAt: clock.Now.AddSeconds(1)), default);
        clock.Now = clock.Now.AddSeconds(2);

        for (var i = 0; i < 1024; i++)
        {
            await store.SetAsync(Set("busy", i.ToString(System.Globalization.CultureInfo.InvariantCulture)), default);
        }

        // Moving the clock back shows whether the item is still stored: a swept item stays gone.
        clock.Now = clock.Now.AddSeconds(-10);
        Assert.Null(await store.GetAsync("short-lived", default));
    }

    [Fact]
    public async Task Sqlite_ConcurrentFirstWrites_ExactlyOneWins()
    {
        var store = Create("sqlite");

        var attempts = await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
        {
            try
            {
                await store.SetAsync(Set("race", i.ToString(System.Globalization.CultureInfo.InvariantCulture), concurrency: Concurrency.FirstWrite), default);
                return true;
            }
            catch (StateETagMismatchException)
            {
                return false;
            }
        }));

        Assert.Single(attempts, won => won);
    }

    /// <summary>A clock that may go back, which <see cref="FakeTimeProvider"/> refuses.</summary>
    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; }

        public override DateTimeOffset GetUtcNow() => Now;
    }

    public void Dispose()
    {
        foreach (var store in _stores)
        {
            store.Dispose();
        }

        Directory.Delete(_folder, recursive: true);
    }
}
