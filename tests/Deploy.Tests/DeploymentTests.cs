using Deploy.Tests.Checks;
using Deploy.Tests.Support;

namespace Deploy.Tests;

public sealed class DeploymentTests
{
    [Theory]
    [MemberData(nameof(Roots.Applied), MemberType = typeof(Roots))]
    public void EveryWebService_HasADeploymentAndAService(string root) =>
        ProblemAssert.None(CoverageCheck.Run(RepoFiles.Current, Kustomize.Build(RepoFiles.Current, root)));

    [Theory]
    [MemberData(nameof(Roots.Applied), MemberType = typeof(Roots))]
    public void AppIdsPortsAndHealthSettings_AgreeWithRunFile(string root) =>
        ProblemAssert.None(RunFileCheck.Run(RepoFiles.Current, Kustomize.Build(RepoFiles.Current, root)));

    [Theory]
    [MemberData(nameof(Roots.Applied), MemberType = typeof(Roots))]
    public void EveryDeployment_HasTheDaprAnnotationsAndAnExistingConfiguration(string root) =>
        ProblemAssert.None(AnnotationCheck.Run(Kustomize.Build(RepoFiles.Current, root)));

    [Theory]
    [MemberData(nameof(Roots.Applied), MemberType = typeof(Roots))]
    public void EveryDeployment_HasProbesResourcesHardeningAndAGracePeriodLongerThanTheDrain(string root) =>
        ProblemAssert.None(PodSpecCheck.Run(RepoFiles.Current, Kustomize.Build(RepoFiles.Current, root)));

    [Theory]
    [MemberData(nameof(Roots.Applied), MemberType = typeof(Roots))]
    public void EveryDeployment_RunsTheImageTheContainerBuildProduces(string root) =>
        ProblemAssert.None(ContainerBuildCheck.Run(RepoFiles.Current, Kustomize.Build(RepoFiles.Current, root)));

    [Theory]
    [MemberData(nameof(Roots.Applied), MemberType = typeof(Roots))]
    public void EverySettingVariable_IsAConfigurationKeyTheServiceReads(string root) =>
        ProblemAssert.None(ConfigKeyCheck.Run(RepoFiles.Current, Kustomize.Build(RepoFiles.Current, root)));

    [Fact]
    public void TheRepository_HasWebServicesToDeploy() =>
        Assert.NotEmpty(Sources.ServiceProjects.Read(RepoFiles.Current));
}
