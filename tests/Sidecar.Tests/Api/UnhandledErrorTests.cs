using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Sidecar.Components;
using Sidecar.Components.State;
using Sidecar.Tests.Infrastructure;

namespace Sidecar.Tests.Api;

/// <summary>
/// A failure no building block turned into a Dapr error: the caller gets Dapr's error shape naming the route (not an
/// empty 500, not the exception's text), and the sidecar keeps serving.
/// </summary>
public sealed class UnhandledErrorTests
{
    [Fact]
    public async Task UnexpectedFailure_Answers500InDaprsShape_WithoutTheExceptionText_AndTheSidecarGoesOn()
    {
        using var resources = ResourcesFolder.InMemory();
        var registry = new BreakingRegistry();
        await using var sidecar = await TestSidecar.StartAsync("unhandled", resources.Path,
            configureServices: s => s.AddSingleton<IStateStoreRegistry>(registry));
        registry.Broken = true;
        using var http = new HttpClient { BaseAddress = new Uri(sidecar.HttpEndpoint) };

        using var response = await http.GetAsync("/v1.0/state/statestore/k1");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        using var body = JsonDocument.Parse(text);
        Assert.Equal("ERR_INTERNAL", body.RootElement.GetProperty("errorCode").GetString());
        Assert.Contains("GET /v1.0/state/statestore/k1", body.RootElement.GetProperty("message").GetString());
        Assert.DoesNotContain(BreakingRegistry.Secret, text);

        using var health = await http.GetAsync("/v1.0/healthz/outbound");
        Assert.True(health.IsSuccessStatusCode, $"healthz answered {(int)health.StatusCode} after the failure");
    }

    /// <summary>No stores while the sidecar starts; once <see cref="Broken"/>, every look-up fails with a secret in its text.</summary>
    private sealed class BreakingRegistry : IStateStoreRegistry
    {
        public const string Secret = "password=hunter2";

        public volatile bool Broken;

        public IReadOnlyCollection<string> StateStoreNames => Broken ? throw new InvalidOperationException($"connection failed ({Secret})") : [];

        public RegisteredComponent? ActorStateStore => null;

        public bool TryGetStateStore(string name, [NotNullWhen(true)] out IStateStore? store)
        {
            store = null;
            return false;
        }

        public RegisteredComponent? FindStateStore(string name) => null;
    }
}
