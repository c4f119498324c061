using Sidecar.Tests.Infrastructure;

namespace Sidecar.Tests.AppChannel.Resiliency;

/// <summary>A Resiliency resource the sidecar cannot apply stops startup with the file and line that is wrong.</summary>
public sealed class ResiliencyStartupTests
{
    [Fact]
    public async Task UnsupportedTripExpression_FailsStartupNamingFileAndLine()
    {
        using var resources = new ResourcesFolder(("resiliency.yaml", """
            apiVersion: dapr.io/v1alpha1
            kind: Resiliency
            metadata:
              name: broken
            spec:
              policies:
                circuitBreakers:
                  cb:
                    timeout: 30s
                    trip: failures > 3
              targets:
                apps:
                  payments:
                    circuitBreaker: cb
            """));

        var error = await Assert.ThrowsAnyAsync<Exception>(() => TestSidecar.StartAsync("orders", resources.Path));

        Assert.True(error.Message.Contains($"{Path.Combine(resources.Path, "resiliency.yaml")}:10:", StringComparison.Ordinal), error.Message);
        Assert.Contains("unknown variable 'failures'", error.Message, StringComparison.Ordinal);
    }
}
