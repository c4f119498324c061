using Sidecar.Tests.Infrastructure;

namespace Sidecar.Tests.Secrets;

/// <summary>Component YAML for the secrets tests.</summary>
internal static class SecretResources
{
    /// <summary>A <c>secretstores.local.file</c> store over <paramref name="secretsFile"/>, with optional extra metadata lines.</summary>
    public static (string FileName, string Yaml) FileStore(string name, string secretsFile, string extraMetadata = "") => ($"{name}.yaml", $"""
        apiVersion: dapr.io/v1alpha1
        kind: Component
        metadata:
          name: {name}
        spec:
          type: secretstores.local.file
          version: v1
          metadata:
            - name: secretsFile
              value: "{secretsFile}"{extraMetadata}
        """);

    /// <summary>A <c>secretstores.local.env</c> store reading variables that start with <paramref name="prefix"/>.</summary>
    public static (string FileName, string Yaml) EnvStore(string name, string prefix) => ($"{name}.yaml", $"""
        apiVersion: dapr.io/v1alpha1
        kind: Component
        metadata:
          name: {name}
        spec:
          type: secretstores.local.env
          version: v1
          metadata:
            - name: prefix
              value: "{prefix}"
        """);

    /// <summary>Writes <paramref name="json"/> as <paramref name="fileName"/> into <paramref name="folder"/>; returns its full path.</summary>
    public static string WriteJson(ResourcesFolder folder, string fileName, string json)
    {
        var path = Path.Combine(folder.Path, fileName);
        File.WriteAllText(path, json);
        return path;
    }

    public const string NestedSecrets = """
        {
          "redis": { "password": "p@ss", "user": "default" },
          "api-key": "k-123",
          "hosts": ["a", "b"],
          "port": 6379
        }
        """;
}
