namespace Deploy.Tests;

/// <summary>The kustomization roots people apply.</summary>
internal static class Roots
{
    public const string Default = "deploy/k8s";
    public const string Base = "deploy/k8s/base";
    public const string Dev = "deploy/k8s/overlays/dev";
    public const string Production = "deploy/k8s/overlays/production";

    /// <summary>Every root a cluster can be given, for theories that hold for all of them.</summary>
    public static TheoryData<string> Applied => new() { Default, Dev, Production };
}
