using Sidecar.AppChannel.Resiliency;

namespace Sidecar.Tests.AppChannel.Resiliency;

/// <summary>A retry policy's <c>matching</c>, as dapr/dapr pkg/resiliency/retry.go reads and applies it.</summary>
public sealed class StatusCodeMatchTests
{
    // dapr/dapr pkg/resiliency/retry.go mustRetryStatusCode: no list retries every code.
    [Theory]
    [InlineData(400)]
    [InlineData(404)]
    [InlineData(503)]
    [InlineData(14)]
    public void WithoutMatching_EveryStatusIsRetried(int code) => Assert.True(StatusCodeMatch.All.MustRetry(code));

    // dapr/dapr pkg/resiliency/retry.go parsePatterns, compilePattern, statusCodeNeedRetry
    [Theory]
    [InlineData(429, true)]
    [InlineData(500, true)]
    [InlineData(599, true)]
    [InlineData(404, false)]
    [InlineData(409, false)]
    [InlineData(14, true)]
    [InlineData(2, false)]
    [InlineData(700, false)]
    public void Matching_RetriesOnlyTheListedCodesAndRanges(int code, bool retried)
    {
        var match = StatusCodeMatch.Parse("500-599,429,,", "14", "test");

        Assert.Equal(retried, match.MustRetry(code));
    }

    // dapr/dapr pkg/resiliency/retry.go: with only gRPC codes listed, every HTTP status is still retried.
    [Fact]
    public void Matching_OfOneKindLeavesTheOtherKindRetried() =>
        Assert.True(StatusCodeMatch.Parse(null, "14", "test").MustRetry(400));

    // dapr/dapr pkg/resiliency/retry.go compilePattern errors
    [Theory]
    [InlineData("500-599-600", "more than one '-'")]
    [InlineData("abc", "not a status code")]
    [InlineData("99", "not a status code (100-599)")]
    [InlineData("599-500", "start is bigger than the end")]
    public void BadPatterns_FailTheLoad(string pattern, string expected)
    {
        var error = Assert.Throws<InvalidOperationException>(() => StatusCodeMatch.Parse(pattern, null, "retry 'r'"));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("retry 'r' matching.httpStatusCodes", error.Message, StringComparison.Ordinal);
    }
}
