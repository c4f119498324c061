using Catalog.Domain;

namespace Catalog.Tests.Domain;

public class IndexBucketTests
{
    [Fact]
    public void List_RecordsTheIncarnationAndNeverGoesBack()
    {
        var bucket = IndexBucket.Empty.List("a", 2).List("a", 1);

        Assert.Equal(2, bucket.IncarnationOf("a"));
        Assert.Equal(3, bucket.List("a", 3).IncarnationOf("a"));
    }

    [Fact]
    public void List_WhenAlreadyListedForThatLife_ReturnsTheSameBucket()
    {
        var bucket = IndexBucket.Empty.List("a", 1);

        Assert.Same(bucket, bucket.List("a", 1));
    }

    [Fact]
    public void Unlist_DropsOnlyThatId()
    {
        var bucket = IndexBucket.Empty.List("a", 1).List("b", 1).Unlist("a").Unlist("missing");

        Assert.Equal(["b"], bucket.Entries.Keys);
    }

    [Fact]
    public void Buckets_AreStableAndSpreadIds()
    {
        var buckets = Enumerable.Range(0, 400).Select(i => IndexBuckets.Of($"item-{i}")).ToList();

        Assert.All(buckets, b => Assert.InRange(b, 0, IndexBuckets.Count - 1));
        Assert.Equal(IndexBuckets.Count, buckets.Distinct().Count());
        // FNV-1a of "a" is fixed: a change of the hash would silently split the stored index.
        Assert.Equal((int)(0xe40c292cu % IndexBuckets.Count), IndexBuckets.Of("a"));
    }
}
