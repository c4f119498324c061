using Sidecar.Tests.Infrastructure;

namespace Sidecar.Tests.JsSdk;

/// <summary>
/// The JS SDK's state calls (<c>tests/js-sdk/state.js</c>) against the local sidecar over HTTP and gRPC, as against
/// daprd (<c>pkg/api/http/http.go</c>, <c>pkg/api/grpc/grpc.go</c>; state.in-memory's ETags from components-contrib).
/// </summary>
public sealed class JsSdkStateTests
{
    [Theory]
    [InlineData("http")]
    [InlineData("grpc")]
    public async Task SaveGetBulkDeleteAndTransactions_HonourETagsAsDaprd(string protocol)
    {
        using var resources = ResourcesFolder.InMemory();
        await using var sidecar = await TestSidecar.StartAsync("js-state", resources.Path);

        var r = await NodeScript.RunAsync("state.js", protocol, JsSdkEnvironment.For(sidecar, ("STORE", "statestore")));

        Assert.Equal("{}", r.Json("save"));
        Assert.Equal("""{"n":1}""", r.Json("getObject"));
        Assert.Equal("plain", r.Text("getString"));
        Assert.Equal("", r.Text("getMissing"));
        // A missing key has no data: the SDK shows that as undefined over HTTP and as an empty string over gRPC.
        var missingData = protocol == "http" ? "null" : "\"\"";
        Assert.Equal(
            $$"""[{"key":"k1","data":{"n":1},"hasEtag":true},{"key":"k2","data":"plain","hasEtag":true},{"key":"no-such-key","data":{{missingData}},"hasEtag":false}]""",
            r.Json("getBulk"));

        Assert.Equal("{}", r.Json("saveWithCurrentEtag"));
        Assert.True(r.Value("etagChangedOnWrite").GetBoolean());
        // daprd: an ETag mismatch is 409 ERR_STATE_SAVE / ERR_STATE_DELETE over HTTP, Aborted over gRPC.
        Assert.Contains(protocol == "http" ? "ERR_STATE_SAVE" : "[aborted]", r.Error("saveWithStaleEtag"));
        Assert.Equal("""{"n":2}""", r.Json("afterStaleSave"));
        Assert.Contains(protocol == "http" ? "ERR_STATE_DELETE" : "[aborted]", r.Error("deleteWithStaleEtag"));
        Assert.Equal("""{"n":2}""", r.Json("afterStaleDelete"));
        Assert.Equal("{}", r.Json("deleteWithCurrentEtag"));
        Assert.Equal("", r.Text("afterDelete"));
        Assert.Equal("{}", r.Json("deleteWithoutEtag"));
        Assert.Equal("", r.Text("afterDeleteWithoutEtag"));

        r.Value("transaction");
        r.Value("transactionWithEtag");
        // daprd answers a failed transaction 500 ERR_STATE_TRANSACTION over HTTP, Internal over gRPC; none of it applies.
        Assert.Contains(protocol == "http" ? "ERR_STATE_TRANSACTION" : "[internal]", r.Error("transactionWithStaleEtag"));
        Assert.Equal(
            $$"""[{"key":"t1","data":"uno"},{"key":"t2","data":{{missingData}}},{"key":"t3","data":{{missingData}}}]""",
            r.Json("afterTransactions"));
    }
}
