using YamlDotNet.RepresentationModel;

namespace Deploy.Tests.Support;

/// <summary>One Kubernetes object and the repository file that defines it (named in every problem about it).</summary>
internal sealed class Resource(string file, YamlMappingNode root)
{
    public string File { get; } = file;

    public YamlMappingNode Root { get; } = root;

    public string Kind => Root.Child("kind").Text() ?? "";

    public string Name => Root.At("metadata", "name").Text() ?? "";

    public string? Namespace => Root.At("metadata", "namespace").Text();

    public override string ToString() => $"{Kind}/{Name} ({File})";
}
