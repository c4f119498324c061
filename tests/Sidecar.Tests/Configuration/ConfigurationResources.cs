namespace Sidecar.Tests.Configuration;

/// <summary>Configuration store components for the tests.</summary>
internal static class ConfigurationResources
{
    /// <summary>A <c>configuration.redis</c> component named <paramref name="name"/> on <paramref name="host"/>.</summary>
    public static (string FileName, string Yaml) Redis(string name, string host) => ($"{name}.yaml", $"""
        apiVersion: dapr.io/v1alpha1
        kind: Component
        metadata:
          name: {name}
        spec:
          type: configuration.redis
          version: v1
          metadata:
            - name: redisHost
              value: "{host}"
        """);
}
