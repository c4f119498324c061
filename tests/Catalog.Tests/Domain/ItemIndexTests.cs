using Catalog.Domain;

namespace Catalog.Tests.Domain;

public class ItemIndexTests
{
    [Fact]
    public void Add_KeepsIdsInOrdinalOrderWithoutDuplicates()
    {
        var index = ItemIndex.Empty.Add("b").Add("a").Add("c").Add("a");

        Assert.Equal(["a", "b", "c"], index.Ids);
    }

    [Fact]
    public void Remove_DropsOnlyThatId()
    {
        var index = ItemIndex.Empty.Add("a").Add("b").Remove("a").Remove("missing");

        Assert.Equal(["b"], index.Ids);
    }

    [Fact]
    public void PageAfter_ReturnsIdsAfterTheCursorAndWhetherMoreFollow()
    {
        var index = ItemIndex.Empty.Add("a").Add("b").Add("c").Add("d");

        Assert.Equal("a,b more", Describe(index.PageAfter(null, 2)));
        Assert.Equal("c,d last", Describe(index.PageAfter("b", 2)));
        Assert.Equal("c,d last", Describe(index.PageAfter("bb", 5)));
        Assert.Equal(" last", Describe(index.PageAfter("d", 5)));
    }

    private static string Describe((IReadOnlyList<string> Page, bool HasMore) page) =>
        $"{string.Join(',', page.Page)} {(page.HasMore ? "more" : "last")}";
}
