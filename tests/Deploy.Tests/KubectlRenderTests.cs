using System.Diagnostics;
using Deploy.Tests.Checks;
using Deploy.Tests.Support;

namespace Deploy.Tests;

/// <summary>
/// Real kustomize (kubectl's) renders each root, and renders exactly what the checks' own evaluation
/// (<see cref="Kustomize"/>) saw, so the static checks are about what a cluster would get.
/// </summary>
public sealed class KubectlRenderTests
{
    [Theory]
    [MemberData(nameof(Roots.Applied), MemberType = typeof(Roots))]
    public async Task KubectlKustomize_RendersWhatTheChecksSee(string root)
    {
        var output = await KubectlKustomizeAsync(Path.Combine(RepoFiles.Current.Root, root));
        var actual = YamlNodes.ParseDocuments(output).Select(d => new Resource("kubectl", d)).ToList();
        var expected = Kustomize.Build(RepoFiles.Current, root).Resources;

        Assert.Equal(expected.Select(Key).Order(StringComparer.Ordinal), actual.Select(Key).Order(StringComparer.Ordinal));
        foreach (var resource in expected)
        {
            var rendered = actual.Single(a => Key(a) == Key(resource));
            var difference = ComponentCheck.FirstDifference(rendered.Root, resource.Root, "");
            Assert.True(difference is null, $"{resource.File}: {Key(resource)} differs at {difference} between kubectl kustomize {root} and Support/Kustomize.cs");
        }
    }

    private static string Key(Resource r) => $"{r.Kind}/{r.Namespace}/{r.Name}";

    private static async Task<string> KubectlKustomizeAsync(string directory)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var start = new ProcessStartInfo("kubectl", ["kustomize", directory])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("kubectl is not on PATH; install it (apt-get install kubectl) to check what kustomize renders.", e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            Assert.True(process.ExitCode == 0, $"kubectl kustomize {directory} failed: {await stderr}");
            return await stdout;
        }
    }
}
