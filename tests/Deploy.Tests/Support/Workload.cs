using YamlDotNet.RepresentationModel;

namespace Deploy.Tests.Support;

/// <summary>A Deployment seen as a Dapr app: its pod annotations, its app container and field paths for problems.</summary>
internal sealed class Workload
{
    public const string AnnotationsPath = "spec.template.metadata.annotations";

    public Workload(Resource deployment)
    {
        Resource = deployment;
        var containers = deployment.Root.At("spec", "template", "spec", "containers").Items();
        var named = containers.Select((c, i) => (c, i)).FirstOrDefault(x => x.c.Child("name").Text() == deployment.Name);
        (Container, ContainerIndex) = named.c is not null ? named : (containers.FirstOrDefault(), 0);
    }

    public Resource Resource { get; }

    public string File => Resource.File;

    public string Name => Resource.Name;

    public string AppId => Annotation("dapr.io/app-id") ?? Name;

    public YamlNode? Annotations => Resource.Root.At("spec", "template", "metadata", "annotations");

    public YamlNode? Labels => Resource.Root.At("spec", "template", "metadata", "labels");

    public YamlNode? PodSpec => Resource.Root.At("spec", "template", "spec");

    /// <summary>The container named like the Deployment, else the first: the app (Dapr adds its sidecar at admission).</summary>
    public YamlNode? Container { get; }

    public int ContainerIndex { get; }

    public bool DaprEnabled => Annotation("dapr.io/enabled") == "true";

    public string? Annotation(string key) => Annotations.Child(key).Text();

    public static string AnnotationField(string key) => Problems.Key(AnnotationsPath, key);

    public string ContainerField(string rest) => $"spec.template.spec.containers[{ContainerIndex}].{rest}";

    public string? Env(string name) =>
        Container.Child("env").Items().FirstOrDefault(e => e.Child("name").Text() == name).Child("value").Text();

    /// <summary>A probe's port as a number: a named port resolves through the container's ports.</summary>
    public string? ResolvePort(string? port) =>
        port is null || port.All(char.IsAsciiDigit)
            ? port
            : Container.Child("ports").Items().FirstOrDefault(p => p.Child("name").Text() == port).Child("containerPort").Text();

    /// <summary>True when every label of <paramref name="selector"/> is on the pod template.</summary>
    public bool IsSelectedBy(YamlNode? selector)
    {
        var wanted = selector.Entries();
        return wanted.Count > 0 && wanted.All(w => Labels.Child(w.Key).Text() == w.Value.Text());
    }

    public static IEnumerable<Workload> In(Rendered rendered) => rendered.OfKind("Deployment").Select(d => new Workload(d));
}
