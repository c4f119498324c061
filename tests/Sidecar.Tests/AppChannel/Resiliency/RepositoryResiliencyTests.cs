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
            resources.OfKind(AppChannelRegistration.ResiliencyKind).Select(d => new ResiliencyDocument(d.Name, d.Spec, d.Scopes, d.SourceFile, d.Line)),
            "orders", TimeProvider.System);

        var catalog = policies.ForApp("catalog")!;
        Assert.Equal((true, TimeSpan.FromSeconds(2), 3L), (catalog.Retry!.Exponential, catalog.Retry.MaxInterval, catalog.Retry.MaxRetries));
        Assert.Equal(TimeSpan.FromSeconds(5), catalog.Timeout);
        Assert.False(catalog.Retry.Matching.MustRetry(409)); // a shortage is an answer, not a transient failure
        Assert.True(catalog.Retry.Matching.MustRetry(503));
        var breaker = policies.ForApp("payments")!.CircuitBreaker!;
        Assert.Equal(("paymentsBreaker", "consecutiveFailures >= 5", TimeSpan.FromSeconds(30), 1u),
            (breaker.Name, breaker.Trip!.Text, breaker.Timeout, breaker.MaxRequests));
        Assert.Equal(5, policies.ForComponentInbound("pubsub")!.Retry!.MaxRetries);
    }
}
