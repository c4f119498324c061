using Dapr;
using Dapr.Client;
using Grpc.Core;

namespace Sidecar.Tests.State.Conformance;

/// <summary>
/// Transactions: all of them applied, or (on a stale ETag) the stale item left alone; later operations see earlier
/// ones.
/// </summary>
public abstract partial class StateConformanceTests
{
    [Fact]
    public async Task Transaction_WithGoodETags_AppliesEveryOperation()
    {
        var (a, b) = (NewKey(), NewKey());
        await Client.SaveStateAsync(Store, a, new Widget("a", 1));
        var (_, etag) = await Client.GetStateAndETagAsync<Widget>(Store, a);

        await Client.ExecuteStateTransactionAsync(Store,
        [
            new StateTransactionRequest(b, Serialize(new Widget("b", 2)), StateOperationType.Upsert),
            new StateTransactionRequest(a, null, StateOperationType.Delete, etag),
        ]);

        Assert.Null(await Client.GetStateAsync<Widget>(Store, a));
        Assert.Equal(new Widget("b", 2), await Client.GetStateAsync<Widget>(Store, b));
    }

    [Fact]
    public async Task Transaction_WithOneStaleETag_FailsWithInternalAndLeavesTheStaleItemAlone()
    {
        var (stale, _) = await FailTransactionOnStaleETagAsync();

        Assert.Equal(new Widget("a", 2), await Client.GetStateAsync<Widget>(Store, stale));
    }

    /// <summary>
    /// Runs a transaction that upserts a new key, then a key whose ETag went stale, and asserts it fails with
    /// <c>Internal</c>; returns both keys, so each store's class can say what its store left of the first write.
    /// </summary>
    protected async Task<(string Stale, string Other)> FailTransactionOnStaleETagAsync()
    {
        var (a, b) = (NewKey(), NewKey());
        await Client.SaveStateAsync(Store, a, new Widget("a", 1));
        var (_, stale) = await Client.GetStateAndETagAsync<Widget>(Store, a);
        await Client.SaveStateAsync(Store, a, new Widget("a", 2));

        var ex = await Assert.ThrowsAsync<DaprException>(() => Client.ExecuteStateTransactionAsync(Store,
        [
            new StateTransactionRequest(b, Serialize(new Widget("b", 1)), StateOperationType.Upsert),
            new StateTransactionRequest(a, Serialize(new Widget("a", 3)), StateOperationType.Upsert, stale),
        ]));

        Assert.Equal(StatusCode.Internal, StatusOf(ex));
        return (a, b);
    }

    [Fact]
    public async Task Transaction_SeesItsOwnEarlierOperations()
    {
        var key = NewKey();

        await Client.ExecuteStateTransactionAsync(Store,
        [
            new StateTransactionRequest(key, Serialize(new Widget("a", 1)), StateOperationType.Upsert),
            new StateTransactionRequest(key, null, StateOperationType.Delete),
            new StateTransactionRequest(key, Serialize(new Widget("c", 3)), StateOperationType.Upsert),
        ]);

        Assert.Equal(new Widget("c", 3), await Client.GetStateAsync<Widget>(Store, key));
    }
}
