using System.Net;
using System.Text.Json;
using Grpc.Core;
using Sidecar.Components;
using Sidecar.Tests.Infrastructure;

namespace Sidecar.Tests.Secrets;

/// <summary><c>spec.secrets.scopes</c> of the <c>--config</c> Configuration, with daprd's 403 answer.</summary>
public sealed class SecretScopeTests
{
    private const string Secrets = """{"allowed":"a","denied":"d","other":"o"}""";

    private static ResourcesFolder Folder(string scopes)
    {
        var folder = new ResourcesFolder();
        var file = SecretResources.WriteJson(folder, "secrets.json", Secrets);
        File.WriteAllText(Path.Combine(folder.Path, "store.yaml"), SecretResources.FileStore("localsecrets", file).Yaml);
        File.WriteAllText(Path.Combine(folder.Path, "config.yaml"), $"""
            apiVersion: dapr.io/v1alpha1
            kind: Configuration
            metadata:
              name: appconfig
            spec:
              secrets:
                scopes:
            {scopes}
            """);
        return folder;
    }

    private static Task<TestSidecar> StartAsync(ResourcesFolder folder) =>
        TestSidecar.StartAsync("app", folder.Path, o => o with { ConfigFile = Path.Combine(folder.Path, "config.yaml") });

    [Fact]
    public async Task DeniedSecret_Answers403PermissionDenied_OverHttpAndGrpc()
    {
        using var folder = Folder("""
                - storeName: localsecrets
                  defaultAccess: allow
                  deniedSecrets: ["denied"]
            """);
        await using var sidecar = await StartAsync(folder);
        using var http = new HttpClient { BaseAddress = new Uri(sidecar.HttpEndpoint) };

        using var response = await http.GetAsync("/v1.0/secrets/localsecrets/denied");
        var ex = await Assert.ThrowsAsync<Dapr.DaprException>(() => sidecar.Client.GetSecretAsync("localsecrets", "denied"));
        var other = await sidecar.Client.GetSecretAsync("localsecrets", "other");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("ERR_PERMISSION_DENIED", body.RootElement.GetProperty("errorCode").GetString());
        Assert.Equal("access denied by policy to get \"denied\" from \"localsecrets\"", body.RootElement.GetProperty("message").GetString());
        Assert.Equal(StatusCode.PermissionDenied, Assert.IsType<RpcException>(ex.InnerException).StatusCode);
        Assert.Equal("o", other["other"]);
    }

    [Fact]
    public async Task DefaultDenyWithAllowedSecrets_ServesOnlyTheAllowed_AndBulkLeavesTheRestOut()
    {
        using var folder = Folder("""
                - storeName: localsecrets
                  defaultAccess: deny
                  allowedSecrets: ["allowed"]
            """);
        await using var sidecar = await StartAsync(folder);

        var allowed = await sidecar.Client.GetSecretAsync("localsecrets", "allowed");
        var ex = await Assert.ThrowsAsync<Dapr.DaprException>(() => sidecar.Client.GetSecretAsync("localsecrets", "other"));
        var bulk = await sidecar.Client.GetBulkSecretAsync("localsecrets");

        Assert.Equal("a", allowed["allowed"]);
        Assert.Equal(StatusCode.PermissionDenied, Assert.IsType<RpcException>(ex.InnerException).StatusCode);
        Assert.Equal(["allowed"], bulk.Keys);
    }

    [Fact]
    public async Task AllowedSecrets_DecideAlone_EvenOverDeniedSecrets()
    {
        using var folder = Folder("""
                - storeName: localsecrets
                  allowedSecrets: ["denied"]
                  deniedSecrets: ["denied"]
            """);
        await using var sidecar = await StartAsync(folder);

        var secret = await sidecar.Client.GetSecretAsync("localsecrets", "denied");
        var ex = await Assert.ThrowsAsync<Dapr.DaprException>(() => sidecar.Client.GetSecretAsync("localsecrets", "other"));

        Assert.Equal("d", secret["denied"]);
        Assert.Equal(StatusCode.PermissionDenied, Assert.IsType<RpcException>(ex.InnerException).StatusCode);
    }

    [Fact]
    public async Task ConfigurationInResourcesFolderOnly_IsNotApplied()
    {
        using var folder = Folder("""
                - storeName: localsecrets
                  defaultAccess: deny
            """);
        await using var sidecar = await TestSidecar.StartAsync("app", folder.Path);

        var secret = await sidecar.Client.GetSecretAsync("localsecrets", "other");

        Assert.Equal("o", secret["other"]);
    }

    [Fact]
    public async Task InvalidDefaultAccess_FailsTheStartNamingTheConfiguration()
    {
        using var folder = Folder("""
                - storeName: localsecrets
                  defaultAccess: maybe
            """);

        var ex = await Assert.ThrowsAsync<ResourceLoadException>(() => StartAsync(folder));

        Assert.Equal($"{Path.Combine(folder.Path, "config.yaml")}:1: Configuration 'appconfig': defaultAccess 'maybe' of secret store 'localsecrets' must be allow or deny", ex.Message);
    }

    [Fact]
    public async Task RepeatedStoreName_FailsTheStart()
    {
        using var folder = Folder("""
                - storeName: localsecrets
                - storeName: localsecrets
            """);

        var ex = await Assert.ThrowsAsync<ResourceLoadException>(() => StartAsync(folder));

        Assert.EndsWith("secret store 'localsecrets' has more than one entry in 'spec.secrets.scopes'", ex.Message);
    }
}
