using System.Text.Json;
using Sidecar.Components;
using Sidecar.Tests.Infrastructure;

namespace Sidecar.Tests.Secrets;

/// <summary>
/// <c>secretKeyRef</c> metadata of other components, resolved through the component's <c>auth.secretStore</c> before
/// the component starts: here a Redis password, against a real password-protected <c>redis-server</c>.
/// </summary>
public sealed class SecretKeyRefTests
{
    private const string Password = "s3cret-redis-pass";

    /// <summary>The secrets file: secret <c>redis</c> with the password under <paramref name="key"/>.</summary>
    private static string RedisSecret(string key) => JsonSerializer.Serialize(new Dictionary<string, Dictionary<string, string>>
    {
        ["redis"] = new() { [key] = Password },
    });

    private static ResourcesFolder Folder(int redisPort, string secretsJson, string auth = "auth:\n  secretStore: localsecrets\n", string key = "password")
    {
        var folder = new ResourcesFolder();
        var file = SecretResources.WriteJson(folder, "secrets.json", secretsJson);
        File.WriteAllText(Path.Combine(folder.Path, "localsecrets.yaml"), SecretResources.FileStore("localsecrets", file,
            "\n    - name: multiValued\n      value: \"true\"").Yaml);
        // Named to sort before the secret store: secret stores start first whatever the file order.
        File.WriteAllText(Path.Combine(folder.Path, "a-statestore.yaml"), $"""
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: statestore
            spec:
              type: state.redis
              version: v1
              metadata:
                - name: redisHost
                  value: "127.0.0.1:{redisPort}"
                - name: redisPassword
                  secretKeyRef:
                    name: redis
                    key: {key}
            {auth}
            """);
        return folder;
    }

    [Fact]
    public async Task RedisPassword_FromTheFileSecretStore_OpensThePasswordProtectedServer()
    {
        await using var redis = await RedisServer.StartAsync(["--requirepass", Password]);
        using var folder = Folder(redis.Port, RedisSecret("password"));
        await using var sidecar = await TestSidecar.StartAsync("app", folder.Path);

        await sidecar.Client.SaveStateAsync("statestore", "k", "v");

        Assert.Equal("v", await sidecar.Client.GetStateAsync<string>("statestore", "k"));
    }

    [Fact]
    public async Task MissingKeyInTheSecret_FailsTheStartNamingFileComponentAndSecret_NeverTheValue()
    {
        using var folder = Folder(6390, RedisSecret("user"));

        var ex = await Assert.ThrowsAsync<ResourceLoadException>(() => TestSidecar.StartAsync("app", folder.Path));

        Assert.Equal(
            $"{Path.Combine(folder.Path, "a-statestore.yaml")}:13: component 'statestore' (state.redis), metadata 'redisPassword': secret 'redis' of secret store 'localsecrets' has no key 'password'",
            ex.Message);
        Assert.DoesNotContain(Password, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingSecret_FailsTheStartWithTheStoresAnswer()
    {
        using var folder = Folder(6390, """{"other":{"password":"x"}}""");

        var ex = await Assert.ThrowsAsync<ResourceLoadException>(() => TestSidecar.StartAsync("app", folder.Path));

        Assert.EndsWith("metadata 'redisPassword': secret 'redis' of secret store 'localsecrets' cannot be read: secret redis not found", ex.Message);
    }

    [Fact]
    public async Task NoAuthSecretStore_FailsTheStart_SelfHostedHasNoDefaultStore()
    {
        using var folder = Folder(6390, """{"redis":{"password":"x"}}""", auth: "");

        var ex = await Assert.ThrowsAsync<ResourceLoadException>(() => TestSidecar.StartAsync("app", folder.Path));

        Assert.Equal(
            $"{Path.Combine(folder.Path, "a-statestore.yaml")}:13: metadata 'redisPassword' of component 'statestore' uses secretKeyRef, but the component names no secret store: add 'auth: secretStore: <name>' (self-hosted daprd has no default store)",
            ex.Message);
    }

    [Fact]
    public async Task UnknownAuthSecretStore_FailsTheStartNamingTheStore()
    {
        using var folder = Folder(6390, """{"redis":{"password":"x"}}""", auth: "auth:\n  secretStore: vault\n");

        var ex = await Assert.ThrowsAsync<ResourceLoadException>(() => TestSidecar.StartAsync("app", folder.Path));

        Assert.Equal(
            $"{Path.Combine(folder.Path, "a-statestore.yaml")}: component 'statestore' (state.redis) reads its secrets from secret store 'vault', which is not defined for this app",
            ex.Message);
    }
}
