using System.Net;
using System.Text;
using EndToEnd.Tests.Infrastructure;
using Sidecar.NameResolution;

namespace EndToEnd.Tests.NameResolution;

/// <summary>
/// Name resolution between sidecars of different processes through the shared SQLite registry: they find each other,
/// share the calls among the instances of one app id, and stop calling a sidecar that died.
/// </summary>
public sealed class CrossProcessInvocationTests
{
    [Fact]
    public async Task TwoSidecarsStartedApart_InvokeEachOthersApps()
    {
        await using var sidecars = new SeparateSidecars();
        var alpha = await TinyApp.StartAsync("alpha-app");
        var beta = await TinyApp.StartAsync("beta-app");
        var (alphaPort, _) = await sidecars.StartSidecarAsync("alpha", alpha);
        var (betaPort, _) = await sidecars.StartSidecarAsync("beta", beta);

        using var toBeta = await sidecars.InvokeAsync(alphaPort, "beta", "whoami");
        using var toAlpha = await sidecars.InvokeAsync(betaPort, "alpha", "whoami");
        using var echo = await sidecars.Http.PostAsync(
            $"http://127.0.0.1:{alphaPort}/v1.0/invoke/beta/method/echo", new StringContent("{\"n\":1}", Encoding.UTF8, "application/json"));

        Assert.Equal("beta-app", await toBeta.Content.ReadAsStringAsync());
        Assert.Equal("alpha-app", await toAlpha.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, echo.StatusCode);
        Assert.Equal("{\"n\":1}", await echo.Content.ReadAsStringAsync());
        Assert.Equal("application/json", echo.Content.Headers.ContentType?.MediaType);
        Assert.Equal("beta-app", echo.Headers.GetValues("x-name").Single());
        Assert.Equal(["alpha", "alpha"], beta.Callers);
        Assert.Equal(["beta"], alpha.Callers);
    }

    [Fact]
    public async Task TwoInstancesOfOneAppId_TakeTurns()
    {
        await using var sidecars = new SeparateSidecars();
        await sidecars.StartSidecarAsync("gamma", await TinyApp.StartAsync("gamma-1"));
        await sidecars.StartSidecarAsync("gamma", await TinyApp.StartAsync("gamma-2"));
        var (callerPort, _) = await sidecars.StartSidecarAsync("caller");

        var answers = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            using var response = await sidecars.InvokeAsync(callerPort, "gamma", "whoami");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            answers.Add(await response.Content.ReadAsStringAsync());
        }

        Assert.Equal(5, answers.Count(a => a == "gamma-1"));
        Assert.Equal(5, answers.Count(a => a == "gamma-2"));
    }

    [Fact]
    public async Task KilledSidecar_ExpiresFromTheRegistry_AndCallsGoToTheLiveOne()
    {
        await using var sidecars = new SeparateSidecars();
        await sidecars.StartSidecarAsync("delta", await TinyApp.StartAsync("delta-live"));
        var (_, doomed) = await sidecars.StartSidecarAsync("delta", await TinyApp.StartAsync("delta-doomed"));
        var (callerPort, _) = await sidecars.StartSidecarAsync("caller");
        using var registry = new SqliteNameRegistry(NameResolutionSettings.For(sidecars.RegistryFile), TimeProvider.System);
        Assert.Equal(2, (await registry.LiveAsync("delta", CancellationToken.None)).Count);

        Processes.Signal(doomed.Pid, Processes.SigKill);
        await doomed.WaitForExitAsync(TimeSpan.FromSeconds(10));

        // At once: the dead sidecar refuses connections and each call moves on to the live instance.
        for (var i = 0; i < 4; i++)
        {
            using var response = await sidecars.InvokeAsync(callerPort, "delta", "whoami");
            Assert.Equal("delta-live", await response.Content.ReadAsStringAsync());
        }

        // Within the update interval (5 s) without heartbeats, the dead sidecar's entry is no longer live.
        var deadline = DateTime.UtcNow + NameResolutionSettings.DefaultUpdateInterval + TimeSpan.FromSeconds(5);
        while ((await registry.LiveAsync("delta", CancellationToken.None)).Count > 1)
        {
            Assert.True(DateTime.UtcNow < deadline, "the killed sidecar is still registered as live");
            await Task.Delay(250);
        }

        for (var i = 0; i < 4; i++)
        {
            using var response = await sidecars.Http.PostAsync(
                $"http://127.0.0.1:{callerPort}/v1.0/invoke/delta/method/echo", new StringContent($"call {i}"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("delta-live", response.Headers.GetValues("x-name").Single());
        }
    }
}
