using Sidecar.AppChannel;
using Sidecar.AppChannel.Resiliency;
using Sidecar.Components;
using Sidecar.Hosting;

namespace Sidecar.Tests.AppChannel.Resiliency;

/// <summary>The repository's own <c>components/resiliency.yaml</c> reads into the policies the services rely on.</summary>
public sealed class RepositoryResiliencyTests
{
    private static string ComponentsFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "components", "resiliency.yaml");
            if (File.Exists(candidate))
            {
                return Path.GetDirectoryName(candidate)!;
            }
        }

        throw new InvalidOperationException("components/resiliency.yaml not found above the test output folder");
    }

    [Fact]
    public void RepositoryResiliency_GivesOrdersRetriesToCatalogAndABreakerToPayments()
    {
        var resources = ResourceLoader.Load(new SidecarOptions { AppId = "orders", ResourcesPaths = [ComponentsFolder()] });

        var policies = new ResiliencyPolicies(
            resources.OfKind(AppChannelRegistration.ResiliencyKind).Select(d => new ResiliencyDocument(d.Name, d.Spec, d.Scopes, d.Location)),
            "orders", TimeProvider.System);

        Assert.Equal(new RetryPolicy(true, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(2), 3), policies.ForApp("catalog")!.Retry);
        Assert.Equal(TimeSpan.FromSeconds(5), policies.ForApp("catalog")!.Timeout);
        Assert.Equal(new CircuitBreakerPolicy("paymentsBreaker", 4, TimeSpan.FromSeconds(30), 1), policies.ForApp("payments")!.CircuitBreaker);
        Assert.Equal(5, policies.ForComponentInbound("pubsub")!.Retry!.MaxRetries);
    }
}
