using Sidecar.Tests.Infrastructure;

namespace Sidecar.Tests.Locks;

/// <summary>Resource folders with a lock store for the lock tests.</summary>
internal static class LockResources
{
    /// <summary>A host nothing listens on: a store that must never be connected to (embedded mode serves it).</summary>
    public const string UnreachableHost = "127.0.0.1:1";

    /// <summary>A <c>lock.redis</c> named <paramref name="name"/> on <paramref name="host"/>, with <c>keyPrefix</c> when given.</summary>
    public static ResourcesFolder Redis(string host, string? keyPrefix = null, string name = "lockstore") =>
        new(Component(name, host, keyPrefix));

    /// <summary>The component YAML file of <see cref="Redis"/>.</summary>
    public static (string FileName, string Yaml) Component(string name, string host, string? keyPrefix = null) => ($"{name}.yaml", $"""
        apiVersion: dapr.io/v1alpha1
        kind: Component
        metadata:
          name: {name}
        spec:
          type: lock.redis
          version: v1
          metadata:
            - name: redisHost
              value: "{host}"{(keyPrefix is null ? "" : $"""

            - name: keyPrefix
              value: "{keyPrefix}"
        """)}
        """);
}
