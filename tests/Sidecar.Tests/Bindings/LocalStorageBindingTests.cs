using System.Net;
using System.Text;
using System.Text.Json;
using Dapr.Client;
using Sidecar.Tests.Infrastructure;

namespace Sidecar.Tests.Bindings;

/// <summary>
/// <c>bindings.localstorage</c> through a real sidecar, over gRPC with the Dapr SDK and over HTTP, with the behaviour of
/// components-contrib's binding: quoted and base64 data decoded on create, the name staying under the root.
/// </summary>
public sealed class LocalStorageBindingTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("localstorage-").FullName;

    [Fact]
    public async Task CreateGetListDelete_OverGrpc_WorkOnFilesUnderTheRoot()
    {
        using var folder = Folder();
        await using var sidecar = await TestSidecar.StartAsync("app", folder.Path);
        var client = sidecar.Client;

        var created = await client.InvokeBindingAsync(new BindingRequest("files", "create")
        {
            Data = Encoding.UTF8.GetBytes("plain text"),
            Metadata = { ["fileName"] = "notes/a.txt" },
        });
        var read = await client.InvokeBindingAsync(new BindingRequest("files", "get") { Metadata = { ["fileName"] = "notes/a.txt" } });
        var listed = await client.InvokeBindingAsync(new BindingRequest("files", "list"));
        await client.InvokeBindingAsync(new BindingRequest("files", "delete") { Metadata = { ["fileName"] = "notes/a.txt" } });

        Assert.Equal("""{"fileName":"notes/a.txt"}""", Encoding.UTF8.GetString(created.Data.Span));
        Assert.Equal("plain text", Encoding.UTF8.GetString(read.Data.Span));
        Assert.Equal([Path.Combine(_root, "notes", "a.txt")], JsonSerializer.Deserialize<string[]>(listed.Data.Span)!);
        Assert.False(File.Exists(Path.Combine(_root, "notes", "a.txt")));
    }

    [Fact]
    public async Task Create_WithTheSdksJsonString_StoresItUnquoted_AndBase64IsDecoded()
    {
        using var folder = Folder();
        await using var sidecar = await TestSidecar.StartAsync("app", folder.Path);

        // The SDK serialises the string as JSON ("\"hello world\""); contrib unquotes it.
        await sidecar.Client.InvokeBindingAsync("files", "create", "hello world", new Dictionary<string, string> { ["fileName"] = "q.txt" });
        await sidecar.Client.InvokeBindingAsync("files", "create", Convert.ToBase64String([1, 2, 3, 250]), new Dictionary<string, string> { ["fileName"] = "b.bin" });

        Assert.Equal("hello world", await File.ReadAllTextAsync(Path.Combine(_root, "q.txt")));
        Assert.Equal(new byte[] { 1, 2, 3, 250 }, await File.ReadAllBytesAsync(Path.Combine(_root, "b.bin")));
    }

    [Fact]
    public async Task Create_WithoutFileName_UsesANewUuid()
    {
        using var folder = Folder();
        await using var sidecar = await TestSidecar.StartAsync("app", folder.Path);

        var created = await sidecar.Client.InvokeBindingAsync(new BindingRequest("files", "create") { Data = "{\"a\":1}"u8.ToArray() });

        var name = JsonDocument.Parse(created.Data).RootElement.GetProperty("fileName").GetString()!;
        Assert.True(Guid.TryParse(name, out _), name);
        Assert.Equal("{\"a\":1}", await File.ReadAllTextAsync(Path.Combine(_root, name)));
    }

    [Fact]
    public async Task FileName_ThatClimbsOutOfTheRoot_StaysInside()
    {
        using var folder = Folder();
        await using var sidecar = await TestSidecar.StartAsync("app", folder.Path);

        var created = await sidecar.Client.InvokeBindingAsync(new BindingRequest("files", "create")
        {
            Data = "x"u8.ToArray(),
            Metadata = { ["fileName"] = "../../escape.txt" },
        });

        Assert.Equal("""{"fileName":"escape.txt"}""", Encoding.UTF8.GetString(created.Data.Span));
        Assert.True(File.Exists(Path.Combine(_root, "escape.txt")));
    }

    [Fact]
    public async Task OverHttp_CreateAnswers200WithTheName_DeleteAnswers204_MissingFileIsErrInvokeOutputBinding()
    {
        using var folder = Folder();
        await using var sidecar = await TestSidecar.StartAsync("app", folder.Path);
        using var http = new HttpClient { BaseAddress = new Uri(sidecar.HttpEndpoint) };

        using var create = await http.PostAsync("/v1.0/bindings/files", Json("""{"operation":"create","data":{"n":1},"metadata":{"fileName":"h.json"}}"""));
        using var get = await http.PutAsync("/v1.0/bindings/files", Json("""{"operation":"get","metadata":{"fileName":"h.json"}}"""));
        using var delete = await http.PostAsync("/v1.0/bindings/files", Json("""{"operation":"delete","metadata":{"fileName":"h.json"}}"""));
        using var missing = await http.PostAsync("/v1.0/bindings/files", Json("""{"operation":"get","metadata":{"fileName":"h.json"}}"""));

        Assert.Equal(HttpStatusCode.OK, create.StatusCode);
        Assert.Equal("""{"fileName":"h.json"}""", await create.Content.ReadAsStringAsync());
        Assert.Equal("""{"n":1}""", await get.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.Equal(HttpStatusCode.InternalServerError, missing.StatusCode);
        using var error = JsonDocument.Parse(await missing.Content.ReadAsStringAsync());
        Assert.Equal("ERR_INVOKE_OUTPUT_BINDING", error.RootElement.GetProperty("errorCode").GetString());
        Assert.Equal($"error invoking output binding files: file not found: {Path.Combine(_root, "h.json")}", error.RootElement.GetProperty("message").GetString());
    }

    [Fact]
    public async Task List_OfAnEmptyRoot_IsJsonNull()
    {
        using var folder = Folder();
        await using var sidecar = await TestSidecar.StartAsync("app", folder.Path);

        var listed = await sidecar.Client.InvokeBindingAsync(new BindingRequest("files", "list"));

        Assert.Equal("null", Encoding.UTF8.GetString(listed.Data.Span));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private ResourcesFolder Folder() =>
        new ResourcesFolder(BindingResources.Binding("files", "bindings.localstorage", ("rootPath", _root)));
}
