using System.Net;
using System.Text.Json;
using Grpc.Core;
using Sidecar.Tests.Infrastructure;

namespace Sidecar.Tests.Secrets;

/// <summary>daprd's error codes and statuses for the secrets API, over HTTP and through the SDK's gRPC calls.</summary>
public sealed class SecretsErrorTests
{
    private static async Task<(HttpStatusCode Status, string Code, string Message)> HttpErrorAsync(TestSidecar sidecar, string path)
    {
        using var http = new HttpClient { BaseAddress = new Uri(sidecar.HttpEndpoint) };
        using var response = await http.GetAsync(path);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, body.RootElement.GetProperty("errorCode").GetString()!, body.RootElement.GetProperty("message").GetString()!);
    }

    private static RpcException RpcErrorOf(Dapr.DaprException ex) => Assert.IsType<RpcException>(ex.InnerException);

    [Fact]
    public async Task NoSecretStore_Answers500NotConfigured_AndFailedPrecondition()
    {
        using var folder = ResourcesFolder.InMemory();
        await using var sidecar = await TestSidecar.StartAsync("app", folder.Path);

        var (status, code, message) = await HttpErrorAsync(sidecar, "/v1.0/secrets/localsecrets/key");
        var ex = await Assert.ThrowsAsync<Dapr.DaprException>(() => sidecar.Client.GetSecretAsync("localsecrets", "key"));

        Assert.Equal((HttpStatusCode.InternalServerError, "ERR_SECRET_STORES_NOT_CONFIGURED", "secret store is not configured"), (status, code, message));
        Assert.Equal(StatusCode.FailedPrecondition, RpcErrorOf(ex).StatusCode);
    }

    [Fact]
    public async Task UnknownStore_Answers401NotFound_AsDaprdDoes_AndInvalidArgument()
    {
        using var folder = new ResourcesFolder(SecretResources.EnvStore("envsecrets", "X_"));
        await using var sidecar = await TestSidecar.StartAsync("app", folder.Path);

        var (status, code, message) = await HttpErrorAsync(sidecar, "/v1.0/secrets/nosuch/bulk");
        var ex = await Assert.ThrowsAsync<Dapr.DaprException>(() => sidecar.Client.GetBulkSecretAsync("nosuch"));

        Assert.Equal((HttpStatusCode.Unauthorized, "ERR_SECRET_STORE_NOT_FOUND", "failed finding secret store with key nosuch"), (status, code, message));
        Assert.Equal(StatusCode.InvalidArgument, RpcErrorOf(ex).StatusCode);
        Assert.Equal("failed finding secret store with key nosuch", RpcErrorOf(ex).Status.Detail);
    }

    [Fact]
    public async Task MissingSecretInFileStore_Answers500SecretGet_AndInternal()
    {
        using var folder = new ResourcesFolder();
        var file = SecretResources.WriteJson(folder, "secrets.json", """{"a":"1"}""");
        File.WriteAllText(Path.Combine(folder.Path, "store.yaml"), SecretResources.FileStore("localsecrets", file).Yaml);
        await using var sidecar = await TestSidecar.StartAsync("app", folder.Path);

        var (status, code, message) = await HttpErrorAsync(sidecar, "/v1.0/secrets/localsecrets/missing");
        var ex = await Assert.ThrowsAsync<Dapr.DaprException>(() => sidecar.Client.GetSecretAsync("localsecrets", "missing"));

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Equal("ERR_SECRET_GET", code);
        Assert.Equal("failed getting secret with key missing from secret store localsecrets: secret missing not found", message);
        Assert.Equal(StatusCode.Internal, RpcErrorOf(ex).StatusCode);
    }
}
