using Sidecar.Components;
using Sidecar.Errors;
using Sidecar.State;

namespace Sidecar.Tests.State;

public sealed class StateKeysTests
{
    private static StateKeys For(string? keyPrefix, string store = "statestore")
    {
        var metadata = new Dictionary<string, string>();
        if (keyPrefix is not null)
        {
            metadata["keyPrefix"] = keyPrefix;
        }

        return new StateKeys(new ComponentDefinition(store, "state.in-memory", "v1", metadata, [], "statestore.yaml"), "orders");
    }

    [Theory]
    [InlineData(null, "orders||k")]
    [InlineData("appid", "orders||k")]
    [InlineData("name", "statestore||k")]
    [InlineData("none", "k")]
    [InlineData("shared", "shared||k")]
    public void ToStored_FollowsTheKeyPrefixStrategy(string? keyPrefix, string expected)
    {
        var keys = For(keyPrefix);

        Assert.Equal(expected, keys.ToStored("k"));
        Assert.Equal("k", keys.FromStored(expected));
    }

    [Fact]
    public void ToStored_KeyWithDoublePipe_IsAMalformedRequest()
    {
        var ex = Assert.Throws<DaprException>(() => For(null).ToStored("catalog||k"));

        Assert.Equal("ERR_MALFORMED_REQUEST", ex.Error.ErrorCode);
        Assert.Equal(Grpc.Core.StatusCode.InvalidArgument, ex.Error.GrpcStatus);
    }
}
