using Catalog.Domain;

namespace Catalog.Tests.Domain;

public class CatalogItemTests
{
    private static CatalogItem Item(int stock) => CatalogItem.Placeholder("widget").Revive("Widget", 2.50m, stock);

    [Fact]
    public void Reserve_WhenStockSuffices_TakesStockAndRecordsOrder()
    {
        var outcome = Item(5).Reserve("order-1", 3, out var updated);

        Assert.Equal(ReserveOutcome.Reserved, outcome);
        Assert.Equal(2, updated.Stock);
        Assert.Equal(3, updated.Reservations["order-1"]);
    }

    [Fact]
    public void Reserve_WhenStockIsShort_ChangesNothing()
    {
        var item = Item(2);

        var outcome = item.Reserve("order-1", 3, out var updated);

        Assert.Equal(ReserveOutcome.InsufficientStock, outcome);
        Assert.Same(item, updated);
    }

    [Fact]
    public void Reserve_WhenExactlyAllStock_LeavesZero()
    {
        Assert.Equal(ReserveOutcome.Reserved, Item(3).Reserve("order-1", 3, out var updated));
        Assert.Equal(0, updated.Stock);
    }

    [Fact]
    public void Reserve_WhenOrderAlreadyHoldsReservation_DoesNotReserveAgain()
    {
        Item(10).Reserve("order-1", 4, out var once);

        var outcome = once.Reserve("order-1", 4, out var twice);

        Assert.Equal(ReserveOutcome.AlreadyReserved, outcome);
        Assert.Equal(6, twice.Stock);
        Assert.Equal(new Contracts.Reservation("widget", "order-1", 4, 2.50m), twice.ReservationOf("order-1"));
    }

    [Fact]
    public void Reserve_WhenOrderHoldsAnotherQuantity_SaysSoAndChangesNothing()
    {
        Item(10).Reserve("order-1", 4, out var once);

        var outcome = once.Reserve("order-1", 5, out var after);

        Assert.Equal(ReserveOutcome.ReservedWithAnotherQuantity, outcome);
        Assert.Same(once, after);
    }

    [Fact]
    public void Tombstone_EndsThisLifeAndReviveStartsTheNext()
    {
        Item(10).Reserve("order-1", 4, out var reserved);

        var tombstone = reserved.Tombstone();
        var revived = tombstone.Revive("Widget", 1m, 3);

        Assert.Equal((false, 1L, 0), (tombstone.IsLive, tombstone.Incarnation, tombstone.Reservations.Count));
        Assert.Equal((true, 2L, 3), (revived.IsLive, revived.Incarnation, revived.Stock));
        Assert.Empty(revived.Reservations);
    }

    [Fact]
    public void Reserve_WhenQuantityBelowOne_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Item(10).Reserve("order-1", 0, out _));
    }

    [Fact]
    public void Release_GivesStockBackOnce()
    {
        Item(10).Reserve("order-1", 4, out var reserved);

        Assert.True(reserved.Release("order-1", out var released));
        Assert.Equal(10, released.Stock);
        Assert.Empty(released.Reservations);
        Assert.False(released.Release("order-1", out var again));
        Assert.Equal(10, again.Stock);
    }

    [Fact]
    public void Replace_KeepsReservationsHeld()
    {
        Item(10).Reserve("order-1", 4, out var reserved);

        var replaced = reserved.Replace("Widget v2", 3m, 20);

        Assert.Equal(20, replaced.Stock);
        Assert.Equal(4, replaced.Reservations["order-1"]);
    }
}
