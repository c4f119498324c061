using Sidecar.Runner;

namespace EndToEnd.Tests.Runner;

/// <summary>Which app commands are built once up front, and when a start may skip that build.</summary>
public sealed class DotnetRunBuildTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dapr-local-build-").FullName;

    private AppPlan App(string folder, params string[] command) => new()
    {
        AppId = folder,
        Source = "dapr.yaml:3",
        AppDirPath = Directory.CreateDirectory(Path.Combine(_dir, folder)).FullName,
        Command = command,
        HttpPort = 3500,
        GrpcPort = 50001,
    };

    private string Project(string folder, string references = "")
    {
        var path = Path.Combine(Directory.CreateDirectory(Path.Combine(_dir, folder)).FullName, $"{folder}.csproj");
        File.WriteAllText(path, $"<Project Sdk=\"Microsoft.NET.Sdk\"><ItemGroup>{references}</ItemGroup></Project>");
        return path;
    }

    [Fact]
    public void Find_TakesPlainDotnetRun_WithTheProjectAndConfigurationItWouldBuild()
    {
        var web = Project("web");
        var api = Project("api");

        var targets = DotnetRunBuild.Find(
        [
            App("web", "dotnet", "run", "--no-launch-profile"),
            App("other", "dotnet", "run", "--project", "../api", "-c", "Release", "--", "--urls", "x"),
        ]);

        Assert.Equal([(web, (string?)null), (api, "Release")], targets.Select(t => (t.Project, t.Configuration)));
    }

    [Theory]
    [InlineData("dotnet", "run", "--no-build")]
    [InlineData("dotnet", "run", "-f", "net10.0")]
    [InlineData("dotnet", "run", "-p:Foo=bar")]
    [InlineData("dotnet", "watch", "run")]
    [InlineData("python3", "app.py")]
    public void Find_LeavesOtherCommandsToBuildThemselves(params string[] command)
    {
        Project("web");

        Assert.Empty(DotnetRunBuild.Find([App("web", command)]));
    }

    [Fact]
    public void Find_SkipsAFolderWithoutExactlyOneProject()
    {
        Project("web");
        File.WriteAllText(Path.Combine(_dir, "web", "second.csproj"), "<Project />");

        Assert.Empty(DotnetRunBuild.Find([App("web", "dotnet", "run")]));
    }

    [Fact]
    public void WithoutBuild_AddsNoBuildAfterRun()
    {
        Assert.Equal(
            ["dotnet", "run", "--no-build", "--no-launch-profile"],
            DotnetRunBuild.WithoutBuild(["dotnet", "run", "--no-launch-profile"]));
    }

    [Fact]
    public void BuildStamp_IsCurrentAfterABuild_UntilASourceOfTheProjectOrOfAReferenceChanges()
    {
        var shared = Project("shared");
        var web = Project("web", """<ProjectReference Include="../shared/shared.csproj" />""");
        var code = Path.Combine(_dir, "shared", "Code.cs");
        File.WriteAllText(code, "class A {}");
        Assert.False(BuildStamp.IsCurrent(web, null));

        BuildStamp.Write(web, BuildStamp.Sources(web, null)!);
        Assert.True(BuildStamp.IsCurrent(web, null));
        Assert.False(BuildStamp.IsCurrent(web, "Release"));

        File.SetLastWriteTimeUtc(code, DateTime.UtcNow.AddMinutes(1));
        Assert.False(BuildStamp.IsCurrent(web, null));
        Assert.True(File.Exists(shared));
    }

    [Fact]
    public void BuildStamp_IsNotCurrent_WhenAFileIsAddedOrTheOutputIsCleaned()
    {
        var web = Project("web");
        var bin = Directory.CreateDirectory(Path.Combine(_dir, "web", "bin")).FullName;
        File.WriteAllText(Path.Combine(bin, "web.dll"), "built");
        BuildStamp.Write(web, BuildStamp.Sources(web, null)!);

        File.WriteAllText(Path.Combine(_dir, "web", "New.cs"), "class B {}");
        Assert.False(BuildStamp.IsCurrent(web, null));

        BuildStamp.Write(web, BuildStamp.Sources(web, null)!);
        File.Delete(Path.Combine(bin, "web.dll"));
        Assert.False(BuildStamp.IsCurrent(web, null));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
