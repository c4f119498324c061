using Deploy.Tests.Sources;
using Deploy.Tests.Support;

namespace Deploy.Tests.Checks;

/// <summary>services/Directory.Build.props builds the images the Deployments run, on the ports dapr.yaml gives.</summary>
internal static class ContainerBuildCheck
{
    public static IReadOnlyList<string> Run(RepoFiles files, Rendered rendered)
    {
        var problems = new Problems();
        var build = ContainerBuild.Read(files);
        var runFile = RunFile.Read(files);
        if (!build.ImportsParent)
        {
            problems.Add(ContainerBuild.Path, "<Import Project=...>", "does not import the root Directory.Build.props, so the repository's build settings are lost");
        }

        problems.Expect(ContainerBuild.Path, "ContainerBaseImage", build.BaseImage, "mcr.microsoft.com/dotnet/aspnet:10.0", "the deployment standard");
        problems.Expect(ContainerBuild.Path, "ContainerUser", build.ContainerUser, "1654", "the .NET images' app user");
        problems.Expect(ContainerBuild.Path, "ContainerRepository", build.Repository, "dapr-shop/$(DaprAppId)", "the deployment standard");
        foreach (var app in runFile.Apps.Values)
        {
            problems.Expect(ContainerBuild.Path, Problems.Key("DaprAppPort", app.AppId), build.Ports.GetValueOrDefault(app.AppId), app.AppPort, RunFile.Path);
        }

        foreach (var workload in Workload.In(rendered))
        {
            problems.Expect(workload.File, workload.ContainerField("image"), workload.Container.Child("image").Text(), build.ImageFor(workload.AppId), ContainerBuild.Path);
        }

        return problems.Lines;
    }
}
