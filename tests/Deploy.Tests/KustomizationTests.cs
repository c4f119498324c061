using Deploy.Tests.Checks;
using Deploy.Tests.Support;

namespace Deploy.Tests;

public sealed class KustomizationTests
{
    [Fact]
    public void EveryKustomization_ReferencesExistingFilesAndPatchesExistingResources()
    {
        var directories = Kustomize.Directories(RepoFiles.Current, "deploy");

        Assert.Equal(new[] { Roots.Default, Roots.Base, Roots.Dev, Roots.Production }.Order(StringComparer.Ordinal), directories);
        ProblemAssert.None(directories.SelectMany(d => Kustomize.Build(RepoFiles.Current, d).Problems));
    }

    [Fact]
    public void TheDefaultRoot_IsTheDevOverlay()
    {
        var defaults = Kustomize.Build(RepoFiles.Current, Roots.Default).Resources.Select(r => $"{r.Kind}/{r.Name}");
        var dev = Kustomize.Build(RepoFiles.Current, Roots.Dev).Resources.Select(r => $"{r.Kind}/{r.Name}");

        Assert.Equal(dev, defaults);
    }

    [Fact]
    public void DevOverlay_RunsOneReplicaOfEachService() =>
        ProblemAssert.None(OverlayCheck.Dev(Kustomize.Build(RepoFiles.Current, Roots.Dev)));

    [Fact]
    public void ProductionOverlay_HasReplicasDisruptionBudgetsAndApiTokens() =>
        ProblemAssert.None(OverlayCheck.Production(Kustomize.Build(RepoFiles.Current, Roots.Production)));

    [Fact]
    public void EveryNamespacedResource_IsInTheNamespaceTheBaseCreates()
    {
        var rendered = Kustomize.Build(RepoFiles.Current, Roots.Production);
        var ns = Assert.Single(rendered.OfKind("Namespace")).Name;

        Assert.All(rendered.Resources.Where(r => r.Kind != "Namespace"), r => Assert.True(r.Namespace == ns, $"{r.File}: metadata.namespace of {r.Kind}/{r.Name} is \"{r.Namespace}\", the base creates {ns}"));
    }
}
