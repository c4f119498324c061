using Microsoft.AspNetCore.Builder;
using Sidecar.Hosting;
using Sidecar.Tests.Infrastructure;

namespace Sidecar.Tests.Invocation;

/// <summary>
/// A target app behind its sidecar and a caller sidecar (no app) on one network; the caller loads the Resiliency
/// <c>spec</c> given, where TARGET stands for the target's app id.
/// </summary>
internal sealed class InvocationPair(ResourcesFolder resources, SidecarNetwork network, TestApp app, TestSidecar target, TestSidecar caller)
    : IAsyncDisposable
{
    public string TargetId => target.Options.AppId;

    public TestSidecar Caller => caller;

    public string InvokeUrl(string method) => $"{caller.HttpEndpoint}/v1.0/invoke/{TargetId}/method/{method}";

    /// <summary>A target app mapped by <paramref name="map"/>; the caller sidecar loads <paramref name="policies"/> (TARGET is the target's id).</summary>
    public static async Task<InvocationPair> StartAsync(Action<WebApplication> map, string? policies = null)
    {
        var targetId = $"target-{Guid.NewGuid():N}";
        var resources = policies is null ? new ResourcesFolder() : new ResourcesFolder(("resiliency.yaml", $"""
            apiVersion: dapr.io/v1alpha1
            kind: Resiliency
            metadata:
              name: invoke
            spec:
            {policies.Replace("TARGET", targetId, StringComparison.Ordinal)}
            """));
        var network = new SidecarNetwork();
        var app = await TestApp.StartAsync(map);
        var target = await TestSidecar.StartAsync(targetId, resources.Path, o => o with { AppPort = app.Port }, network);
        var caller = await TestSidecar.StartAsync($"caller-{Guid.NewGuid():N}", resources.Path, network: network);
        return new InvocationPair(resources, network, app, target, caller);
    }

    public async ValueTask DisposeAsync()
    {
        await caller.DisposeAsync();
        await target.DisposeAsync();
        await app.DisposeAsync();
        await network.DisposeAsync();
        resources.Dispose();
    }
}
