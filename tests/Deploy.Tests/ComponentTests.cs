using Deploy.Tests.Checks;
using Deploy.Tests.Support;

namespace Deploy.Tests;

public sealed class ComponentTests
{
    [Theory]
    [MemberData(nameof(Roots.Applied), MemberType = typeof(Roots))]
    public void ClusterDaprResources_AgreeWithLocalComponents(string root) =>
        ProblemAssert.None(ComponentCheck.Run(RepoFiles.Current, Kustomize.Build(RepoFiles.Current, root)));

    [Theory]
    [MemberData(nameof(Roots.Applied), MemberType = typeof(Roots))]
    public void ComponentsNamedInServiceCode_ExistInTheClusterAndAreScopedToTheService(string root) =>
        ProblemAssert.None(ComponentCheck.RunForCode(RepoFiles.Current, Kustomize.Build(RepoFiles.Current, root)));

    [Theory]
    [MemberData(nameof(Roots.Applied), MemberType = typeof(Roots))]
    public void EveryReferencedSecret_IsRenderedOrDocumentedInTheReadme(string root) =>
        ProblemAssert.None(SecretCheck.Run(RepoFiles.Current, Kustomize.Build(RepoFiles.Current, root)));

    [Theory]
    [MemberData(nameof(Roots.Applied), MemberType = typeof(Roots))]
    public void EveryRetryPolicy_RetriesOnlyTransientFailures_NeverA4xx(string root) =>
        ProblemAssert.None(RetryMatchingCheck.Run(RepoFiles.Current, Kustomize.Build(RepoFiles.Current, root)));
}
