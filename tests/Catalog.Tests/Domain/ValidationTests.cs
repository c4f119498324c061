using Catalog.Domain;
using Catalog.Models;
using Contracts;

namespace Catalog.Tests.Domain;

public class ValidationTests
{
    [Fact]
    public void UpsertItem_WhenValid_HasNoErrors() =>
        Assert.Empty(new UpsertItemCommand("widget", new UpsertItemRequest("Widget", 0m, 0)).Validate());

    [Fact]
    public void UpsertItem_WhenEveryFieldIsWrong_NamesEveryField()
    {
        var errors = new UpsertItemCommand("Bad Id", new UpsertItemRequest("", -1m, -1)).Validate();

        Assert.Equal(["id", "name", "price", "stock"], errors.Keys.Order());
    }

    [Fact]
    public void UpsertItem_WhenNameLongerThan200_IsInvalid() =>
        Assert.Contains("name", new UpsertItemCommand("w", new UpsertItemRequest(new string('n', 201), 1m, 1)).Validate().Keys);

    [Fact]
    public void Reserve_WhenQuantityZeroAndOrderIdBlank_NamesBoth()
    {
        var errors = new ReserveCommand("widget", new ReservationRequest(" ", 0)).Validate();

        Assert.Equal(["orderId", "quantity"], errors.Keys.Order());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("101")]
    [InlineData("ten")]
    [InlineData("-5")]
    public void ListItems_WhenLimitOutOfRange_IsInvalid(string limit) =>
        Assert.Contains("limit", new ListItemsQuery(limit, null).Validate().Keys);

    [Fact]
    public void ListItems_WhenNoLimit_UsesTwenty() => Assert.Equal(20, new ListItemsQuery(null, null).PageSize);

    [Fact]
    public void PageCursor_RoundTripsAnId()
    {
        Assert.True(PageCursor.TryDecode(PageCursor.Encode("widget-9"), out var id));
        Assert.Equal("widget-9", id);
    }

    [Theory]
    [InlineData("***")]
    [InlineData("QkFEIElE")] // base64url of "BAD ID": decodes, but is not an id this service issues
    public void PageCursor_WhenNotIssuedByService_IsRejected(string cursor) =>
        Assert.False(PageCursor.TryDecode(cursor, out _));
}
