using Sidecar.Components;
using Sidecar.Hosting;

namespace Sidecar.Tests.Components;

/// <summary>The repository's own <c>components/</c> folder loads as daprd would read it.</summary>
public sealed class RepositoryComponentsTests
{
    /// <summary>The repository's <c>components/</c> folder, found above the test binaries.</summary>
    public static string ComponentsFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "dapr.yaml")) && Directory.Exists(Path.Combine(dir.FullName, "components")))
            {
                return Path.Combine(dir.FullName, "components");
            }
        }

        throw new DirectoryNotFoundException("repository root (dapr.yaml) not found above the test binaries");
    }

    [Theory]
    [InlineData("catalog", new[] { "catalogstore", "pubsub" })]
    [InlineData("payments", new[] { "statestore" })]
    public void Load_RepositoryComponents_ScopeEachStoreToItsAppsAndReadTheConfigOnce(string appId, string[] expected)
    {
        var folder = ComponentsFolder();
        var resources = ResourceLoader.Load(new SidecarOptions
        {
            AppId = appId,
            ResourcesPaths = [folder],
            ConfigFile = Path.Combine(folder, "config.yaml"),
        });

        Assert.Equal(expected, resources.Components.Select(c => c.Name).Order());
        Assert.Single(resources.OfKind("Resiliency"));
        Assert.Single(resources.OfKind("Configuration"));
        // The workflow store is orders' (and the others' plain state); catalog's items live in catalogstore, with its outbox.
        var store = resources.Components.Single(c => c.Name == (appId == "catalog" ? "catalogstore" : "statestore"));
        Assert.Equal(appId == "catalog" ? null : "true", store.Get("actorStateStore"));
    }
}
