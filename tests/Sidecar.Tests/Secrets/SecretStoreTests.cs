using System.Net;
using System.Text.Json;
using Sidecar.Components;
using Sidecar.Tests.Infrastructure;

namespace Sidecar.Tests.Secrets;

/// <summary>
/// <c>secretstores.local.file</c> and <c>secretstores.local.env</c> read through a real sidecar with the Dapr SDK
/// (gRPC) and plain HTTP, as daprd serves them.
/// </summary>
public sealed class SecretStoreTests
{
    [Fact]
    public async Task FileStore_FlattensNestedObjectsAndArraysWithTheColonSeparator()
    {
        using var folder = new ResourcesFolder();
        var file = SecretResources.WriteJson(folder, "secrets.json", SecretResources.NestedSecrets);
        File.WriteAllText(Path.Combine(folder.Path, "store.yaml"), SecretResources.FileStore("localsecrets", file).Yaml);
        await using var sidecar = await TestSidecar.StartAsync("app", folder.Path);

        var password = await sidecar.Client.GetSecretAsync("localsecrets", "redis:password");
        var host = await sidecar.Client.GetSecretAsync("localsecrets", "hosts:1");
        var port = await sidecar.Client.GetSecretAsync("localsecrets", "port");

        Assert.Equal(new Dictionary<string, string> { ["redis:password"] = "p@ss" }, password);
        Assert.Equal(new Dictionary<string, string> { ["hosts:1"] = "b" }, host);
        Assert.Equal("6379", port["port"]);
    }

    [Fact]
    public async Task FileStore_BulkOverGrpcAndHttp_AnswersEverySecretAsItsOwnPair()
    {
        using var folder = new ResourcesFolder();
        var file = SecretResources.WriteJson(folder, "secrets.json", """{"a":"1","b":{"c":"2"}}""");
        File.WriteAllText(Path.Combine(folder.Path, "store.yaml"), SecretResources.FileStore("localsecrets", file).Yaml);
        await using var sidecar = await TestSidecar.StartAsync("app", folder.Path);
        using var http = new HttpClient { BaseAddress = new Uri(sidecar.HttpEndpoint) };

        var bulk = await sidecar.Client.GetBulkSecretAsync("localsecrets");
        var overHttp = await http.GetStringAsync("/v1.0/secrets/localsecrets/bulk");

        Assert.Equal(2, bulk.Count);
        Assert.Equal("1", bulk["a"]["a"]);
        Assert.Equal("2", bulk["b:c"]["b:c"]);
        using var json = JsonDocument.Parse(overHttp);
        Assert.Equal("2", json.RootElement.GetProperty("b:c").GetProperty("b:c").GetString());
        Assert.Equal("1", json.RootElement.GetProperty("a").GetProperty("a").GetString());
    }

    [Fact]
    public async Task FileStore_OverHttp_AnswersTheSecretsPairsAsAJsonObject()
    {
        using var folder = new ResourcesFolder();
        var file = SecretResources.WriteJson(folder, "secrets.json", SecretResources.NestedSecrets);
        File.WriteAllText(Path.Combine(folder.Path, "store.yaml"), SecretResources.FileStore("localsecrets", file).Yaml);
        await using var sidecar = await TestSidecar.StartAsync("app", folder.Path);
        using var http = new HttpClient { BaseAddress = new Uri(sidecar.HttpEndpoint) };

        using var response = await http.GetAsync("/v1.0/secrets/localsecrets/api-key?metadata.version_id=2");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal("""{"api-key":"k-123"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task FileStore_MultiValuedWithOwnSeparator_KeepsEachTopLevelObjectAsOneSecret()
    {
        using var folder = new ResourcesFolder();
        var file = SecretResources.WriteJson(folder, "secrets.json", """{"redis":{"password":"p","tls":{"ca":"x"}},"single":"s"}""");
        File.WriteAllText(Path.Combine(folder.Path, "store.yaml"), SecretResources.FileStore("localsecrets", file,
            "\n    - name: multiValued\n      value: \"true\"\n    - name: nestedSeparator\n      value: \".\"").Yaml);
        await using var sidecar = await TestSidecar.StartAsync("app", folder.Path);

        var redis = await sidecar.Client.GetSecretAsync("localsecrets", "redis");
        var single = await sidecar.Client.GetSecretAsync("localsecrets", "single");
        var metadata = await sidecar.Client.GetMetadataAsync();

        Assert.Equal(new Dictionary<string, string> { ["password"] = "p", ["tls.ca"] = "x" }, redis);
        Assert.Equal(new Dictionary<string, string> { ["single"] = "s" }, single);
        var component = Assert.Single(metadata.Components, c => c.Name == "localsecrets");
        Assert.Equal("secretstores.local.file", component.Type);
        Assert.Equal(["MULTIPLE_KEY_VALUES_PER_SECRET"], component.Capabilities);
    }

    [Fact]
    public async Task FileStore_RelativeSecretsFile_IsResolvedAgainstTheAppsWorkingDirectory()
    {
        using var folder = new ResourcesFolder(SecretResources.FileStore("localsecrets", "config/secrets.json"));
        using var appDir = new ResourcesFolder();
        Directory.CreateDirectory(Path.Combine(appDir.Path, "config"));
        SecretResources.WriteJson(appDir, "config/secrets.json", """{"where":"app dir"}""");
        await using var sidecar = await TestSidecar.StartAsync("app", folder.Path, o => o with { WorkingDirectory = appDir.Path });

        var secret = await sidecar.Client.GetSecretAsync("localsecrets", "where");

        Assert.Equal("app dir", secret["where"]);
    }

    [Fact]
    public void RunFileApp_GivesItsSidecarTheAppDirAsWorkingDirectory_AsTheDaprCliStartsDaprd()
    {
        var app = new Sidecar.Runner.AppPlan { AppId = "a", Source = "dapr.yaml", AppDirPath = "/srv/apps/a", HttpPort = 1, GrpcPort = 2 };

        var options = app.ToSidecarOptions(embedded: false, dataDirectory: ".dapr");

        Assert.Equal("/srv/apps/a", options.WorkingDirectory);
    }

    [Fact]
    public async Task FileStore_MissingFile_FailsTheStartNamingFileAndComponent()
    {
        using var folder = new ResourcesFolder(SecretResources.FileStore("localsecrets", "/nonexistent/secrets.json"));

        var ex = await Assert.ThrowsAsync<Sidecar.Components.ResourceLoadException>(() => TestSidecar.StartAsync("app", folder.Path));

        Assert.StartsWith($"{Path.Combine(folder.Path, "localsecrets.yaml")}:1: component 'localsecrets' (secretstores.local.file) failed to start: cannot read secrets file /nonexistent/secrets.json", ex.Message);
    }

    [Fact]
    public async Task EnvStore_ReadsPrefixedVariablesWithoutThePrefix()
    {
        var prefix = "SECRETTEST" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant() + "_";
        Environment.SetEnvironmentVariable(prefix + "DB_PASSWORD", "from-env");
        try
        {
            using var folder = new ResourcesFolder(SecretResources.EnvStore("envsecrets", prefix));
            await using var sidecar = await TestSidecar.StartAsync("app", folder.Path);

            var secret = await sidecar.Client.GetSecretAsync("envsecrets", "DB_PASSWORD");
            var unset = await sidecar.Client.GetSecretAsync("envsecrets", "NOT_SET");
            var bulk = await sidecar.Client.GetBulkSecretAsync("envsecrets");

            Assert.Equal("from-env", secret["DB_PASSWORD"]);
            Assert.Equal("", unset["NOT_SET"]);
            Assert.Equal("from-env", Assert.Single(bulk).Value["DB_PASSWORD"]);
        }
        finally
        {
            Environment.SetEnvironmentVariable(prefix + "DB_PASSWORD", null);
        }
    }

    [Fact]
    public async Task EnvStore_NeverGivesOutDaprVariables()
    {
        var variable = "DAPR_SECRETTEST_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        Environment.SetEnvironmentVariable(variable, "hidden");
        try
        {
            using var folder = new ResourcesFolder(SecretResources.EnvStore("envsecrets", ""));
            await using var sidecar = await TestSidecar.StartAsync("app", folder.Path);

            var secret = await sidecar.Client.GetSecretAsync("envsecrets", variable);
            var bulk = await sidecar.Client.GetBulkSecretAsync("envsecrets");

            Assert.Equal("", secret[variable]);
            Assert.DoesNotContain(variable, bulk.Keys);
            Assert.NotEmpty(bulk);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public async Task MetadataQueryParametersAndGrpcMetadata_ReachTheStore()
    {
        using var folder = new ResourcesFolder(("recorder.yaml", """
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: recorder
            spec:
              type: secretstores.test.recorder
              version: v1
            """));
        var recorder = new RecordingSecretStore();
        await using var sidecar = await TestSidecar.StartAsync("app", folder.Path,
            configureServices: s => s.AddComponentFactory("secretstores.test.recorder", _ => recorder));
        using var http = new HttpClient { BaseAddress = new Uri(sidecar.HttpEndpoint) };

        await http.GetStringAsync("/v1.0/secrets/recorder/k?metadata.version_id=3&other=x");
        await http.GetStringAsync("/v1.0/secrets/recorder/bulk?metadata.namespace=ns");
        await sidecar.Client.GetSecretAsync("recorder", "k", new Dictionary<string, string> { ["version_stage"] = "AWSCURRENT" });

        Assert.Equal(
            [
                "get k version_id=3",
                "bulk namespace=ns",
                "get k version_stage=AWSCURRENT",
            ],
            recorder.Calls);
    }

    /// <summary>A secret store that answers one pair and records the metadata each call carried.</summary>
    private sealed class RecordingSecretStore : Sidecar.Components.SecretStores.ISecretStore
    {
        public List<string> Calls { get; } = [];

        public IReadOnlyList<string> Features => [];

        public ValueTask<IReadOnlyDictionary<string, string>> GetAsync(
            string name, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken)
        {
            Calls.Add($"get {name} {Format(metadata)}");
            return ValueTask.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string> { [name] = "v" });
        }

        public ValueTask<IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>> GetBulkAsync(
            IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken)
        {
            Calls.Add($"bulk {Format(metadata)}");
            return ValueTask.FromResult<IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>>(
                new Dictionary<string, IReadOnlyDictionary<string, string>>());
        }

        private static string Format(IReadOnlyDictionary<string, string> metadata) =>
            string.Join(",", metadata.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => $"{m.Key}={m.Value}"));
    }
}
