using System.Net;
using System.Text;
using System.Text.Json;
using Dapr;
using Dapr.Client;
using Sidecar.Tests.Infrastructure;

namespace Sidecar.Tests.Bindings;

/// <summary>The output binding API's errors, with daprd's codes and messages over HTTP and gRPC.</summary>
public sealed class OutputBindingErrorTests : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("localstorage-").FullName;
    private ResourcesFolder _folder = null!;
    private TestSidecar _sidecar = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _folder = new ResourcesFolder(
            BindingResources.Binding("files", "bindings.localstorage", ("rootPath", _root)),
            BindingResources.Binding("ticker", "bindings.cron", ("schedule", "@hourly")));
        _sidecar = await TestSidecar.StartAsync("app", _folder.Path);
        _http = new HttpClient { BaseAddress = new Uri(_sidecar.HttpEndpoint) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _sidecar.DisposeAsync();
        _folder.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    [Theory]
    [InlineData("nope", """{"operation":"get"}""", "error invoking output binding nope: couldn't find output binding nope")]
    [InlineData("ticker", """{"operation":"create"}""", "error invoking output binding ticker: couldn't find output binding ticker")]
    [InlineData("files", """{"data":1}""", "error invoking output binding files: operation field is missing from request")]
    [InlineData("files", """{"operation":"exec"}""", "error invoking output binding files: binding files does not support operation exec. supported operations:create get list delete")]
    public async Task OverHttp_IsErrInvokeOutputBinding500(string name, string body, string message)
    {
        using var response = await _http.PostAsync($"/v1.0/bindings/{name}", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("ERR_INVOKE_OUTPUT_BINDING", error.RootElement.GetProperty("errorCode").GetString());
        Assert.Equal(message, error.RootElement.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("""{"operation":"get","metadata":{"fileName":7}}""")]
    [InlineData("")]
    public async Task OverHttp_AnUnreadableBody_IsErrMalformedRequest400(string body)
    {
        using var response = await _http.PostAsync("/v1.0/bindings/files", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("ERR_MALFORMED_REQUEST", error.RootElement.GetProperty("errorCode").GetString());
        Assert.StartsWith("failed deserializing HTTP body: ", error.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OverGrpc_AnUnknownBinding_IsInternal()
    {
        var ex = await Assert.ThrowsAsync<DaprException>(() => _sidecar.Client.InvokeBindingAsync(new BindingRequest("nope", "get")));

        var rpc = Assert.IsType<Grpc.Core.RpcException>(ex.InnerException);
        Assert.Equal(Grpc.Core.StatusCode.Internal, rpc.StatusCode);
        Assert.Equal("error invoking output binding nope: couldn't find output binding nope", rpc.Status.Detail);
    }

    [Fact]
    public async Task Metadata_ListsTheBindings()
    {
        var metadata = await _sidecar.Client.GetMetadataAsync();

        Assert.Contains(metadata.Components, c => c.Name == "files" && c.Type == "bindings.localstorage");
        Assert.Contains(metadata.Components, c => c.Name == "ticker" && c.Type == "bindings.cron");
    }
}
