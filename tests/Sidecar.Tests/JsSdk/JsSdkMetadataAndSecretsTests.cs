using Sidecar.Tests.Infrastructure;
using Sidecar.Tests.Secrets;

namespace Sidecar.Tests.JsSdk;

/// <summary>
/// The JS SDK's metadata, health and secrets calls (<c>tests/js-sdk/metadata.js</c>, <c>secrets.js</c>) over HTTP and
/// gRPC, as daprd answers them (<c>pkg/api/http</c>, <c>pkg/api/grpc</c>, <c>pkg/messages/predefined.go</c>).
/// </summary>
public sealed class JsSdkMetadataAndSecretsTests
{
    [Theory]
    [InlineData("http")]
    [InlineData("grpc")]
    public async Task MetadataGetAndSet_ShowTheAppIdComponentsAndExtendedAttributes(string protocol)
    {
        using var resources = ResourcesFolder.InMemory();
        await using var sidecar = await TestSidecar.StartAsync("js-metadata", resources.Path);

        var r = await NodeScript.RunAsync("metadata.js", protocol, JsSdkEnvironment.For(sidecar));

        Assert.True(r.Value("healthy").GetBoolean());
        var metadata = r.Value("get");
        Assert.Equal("js-metadata", metadata.GetProperty("id").GetString());
        var components = metadata.GetProperty("components").EnumerateArray()
            .Select(c => $"{c.GetProperty("name").GetString()}:{c.GetProperty("type").GetString()}").Order().ToList();
        Assert.Equal(["pubsub:pubsub.in-memory", "statestore:state.in-memory"], components);
        var store = metadata.GetProperty("components").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "statestore");
        Assert.Contains("ETAG", store.GetProperty("capabilities").EnumerateArray().Select(c => c.GetString()));
        Assert.True(r.Value("set").GetBoolean());
        Assert.Equal("js-sdk", r.Value("getAfterSet").GetProperty("shop-owner").GetString());
    }

    [Theory]
    [InlineData("http")]
    [InlineData("grpc")]
    public async Task SecretsGetAndBulk_ReadLocalFileAndEnvStores(string protocol)
    {
        var prefix = $"JSSDK_{Guid.NewGuid():N}_";
        Environment.SetEnvironmentVariable(prefix + "TOKEN", "tok-1");
        using var resources = new ResourcesFolder();
        try
        {
            var file = SecretResources.WriteJson(resources, "secrets.json", """{ "redis": { "password": "p@ss" }, "api-key": "k-123" }""");
            File.WriteAllText(Path.Combine(resources.Path, "filesecrets.yaml"), SecretResources.FileStore("filesecrets", file).Yaml);
            File.WriteAllText(Path.Combine(resources.Path, "envsecrets.yaml"), SecretResources.EnvStore("envsecrets", prefix).Yaml);
            await using var sidecar = await TestSidecar.StartAsync("js-secrets", resources.Path);

            var r = await NodeScript.RunAsync("secrets.js", protocol, JsSdkEnvironment.For(sidecar,
                ("FILE_STORE", "filesecrets"), ("ENV_STORE", "envsecrets"), ("ENV_SECRET", "TOKEN")));

            Assert.Equal("""{"api-key":"k-123"}""", r.Json("get"));
            // local.file flattens nested JSON with its nestedSeparator, ":" by default.
            Assert.Equal("""{"redis:password":"p@ss"}""", r.Json("getNested"));
            // daprd: ERR_SECRET_GET is 500 over HTTP and Internal over gRPC; an unknown store is 401 (sic) / InvalidArgument.
            Assert.Contains(protocol == "http" ? "ERR_SECRET_GET" : "[internal]", r.Error("getMissing"));
            var bulk = r.Value("getBulk");
            Assert.Equal("k-123", bulk.GetProperty("api-key").GetProperty("api-key").GetString());
            Assert.Equal("p@ss", bulk.GetProperty("redis:password").GetProperty("redis:password").GetString());
            Assert.Equal("""{"TOKEN":"tok-1"}""", r.Json("getFromEnv"));
            var unknownStore = r.Error("unknownStore");
            Assert.Contains(protocol == "http" ? "ERR_SECRET_STORE_NOT_FOUND" : "[invalid_argument]", unknownStore);
            Assert.True(protocol == "grpc" || unknownStore.Contains("\"status\":401", StringComparison.Ordinal), unknownStore);
        }
        finally
        {
            Environment.SetEnvironmentVariable(prefix + "TOKEN", null);
        }
    }
}
