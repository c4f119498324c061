namespace Sidecar.Tests.Infrastructure;

/// <summary>A temporary folder of Dapr resource YAML files, deleted when disposed.</summary>
public sealed class ResourcesFolder : IDisposable
{
    public ResourcesFolder(params (string FileName, string Yaml)[] files)
    {
        Path = Directory.CreateTempSubdirectory("sidecar-resources-").FullName;
        foreach (var (fileName, yaml) in files)
        {
            File.WriteAllText(System.IO.Path.Combine(Path, fileName), yaml);
        }
    }

    public string Path { get; }

    /// <summary>An in-memory state store and pub/sub named <c>statestore</c> and <c>pubsub</c>.</summary>
    public static ResourcesFolder InMemory() => new(
        ("statestore.yaml", """
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: statestore
            spec:
              type: state.in-memory
              version: v1
              metadata:
                - name: actorStateStore
                  value: "true"
            """),
        ("pubsub.yaml", """
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: pubsub
            spec:
              type: pubsub.in-memory
              version: v1
            """));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by a stopping sidecar; the OS temp cleaner takes it.
        }
    }
}
