using System.Text;

namespace Sidecar.Tests.Bindings;

/// <summary>Binding component YAML for the bindings tests.</summary>
internal static class BindingResources
{
    /// <summary>A component <paramref name="name"/> of <paramref name="type"/> with the given metadata pairs.</summary>
    public static (string FileName, string Yaml) Binding(string name, string type, params (string Name, string Value)[] metadata)
    {
        var yaml = new StringBuilder($"""
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: {name}
            spec:
              type: {type}
              version: v1
              metadata:

            """);
        foreach (var (key, value) in metadata)
        {
            yaml.Append($"    - name: {key}\n      value: \"{value.Replace("\"", "\\\"", StringComparison.Ordinal)}\"\n");
        }

        return ($"{name}.yaml", yaml.ToString());
    }
}
