using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Sidecar.Components;
using Sidecar.Tests.Infrastructure;

namespace Sidecar.Tests.Bindings;

/// <summary>
/// Input bindings delivered to a real app, as daprd delivers them: an <c>OPTIONS /{route}</c> probe decides whether the
/// app wants the binding (unless <c>direction: input</c> says so), then <c>POST /{route}</c> per event with the
/// metadata as headers. A <c>bindings.cron</c> on <c>@every 1s</c> supplies the events.
/// </summary>
public sealed partial class InputBindingTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Cron_FiresIntoTheAppsRouteNamedAfterTheBinding_WithDaprsMetadataHeaders()
    {
        var events = new Events();
        await using var app = await TestApp.StartAsync(a => events.Map(a, "/ticker", answerOptions: 200));
        using var folder = new ResourcesFolder(BindingResources.Binding("ticker", "bindings.cron", ("schedule", "@every 1s")));
        await using var sidecar = await TestSidecar.StartAsync("app", folder.Path, o => o with { AppPort = app.Port });

        var first = await events.NextAsync("/ticker", Wait);
        var second = await events.NextAsync("/ticker", Wait);

        Assert.Equal("", first.Body);
        Assert.Equal("application/json", first.ContentType);
        Assert.Equal("Local", first.TimeZone);
        Assert.Matches(GoUtcTime(), first.ReadTimeUtc!);
        Assert.NotEqual(first.ReadTimeUtc, second.ReadTimeUtc);
        Assert.Contains("/ticker", events.Probes);
    }

    [Fact]
    public async Task Route_MetadataMovesTheDelivery_AndA405ProbeStillSubscribes()
    {
        var events = new Events();
        await using var app = await TestApp.StartAsync(a => events.Map(a, "/elsewhere", answerOptions: 405));
        using var folder = new ResourcesFolder(BindingResources.Binding("ticker", "bindings.cron", ("schedule", "@every 1s"), ("route", "/elsewhere")));
        await using var sidecar = await TestSidecar.StartAsync("app", folder.Path, o => o with { AppPort = app.Port });

        await events.NextAsync("/elsewhere", Wait);

        Assert.Equal(["/elsewhere"], events.Probes.Distinct());
    }

    [Fact]
    public async Task AppThatRefusesTheProbe_GetsNothing_UnlessDirectionSaysInput()
    {
        var events = new Events();
        await using var app = await TestApp.StartAsync(a =>
        {
            events.Map(a, "/unwanted", answerOptions: 404);
            events.Map(a, "/declared", answerOptions: 404);
        });
        using var folder = new ResourcesFolder(
            BindingResources.Binding("unwanted", "bindings.cron", ("schedule", "@every 1s")),
            BindingResources.Binding("declared", "bindings.cron", ("schedule", "@every 1s"), ("direction", "input")));
        await using var sidecar = await TestSidecar.StartAsync("app", folder.Path, o => o with { AppPort = app.Port });

        // Two ticks of the declared binding mean the unwanted one, started first, had at least one tick too.
        await events.NextAsync("/declared", Wait);
        await events.NextAsync("/declared", Wait);

        Assert.Empty(events.Deliveries("/unwanted"));
        Assert.Equal(["/unwanted"], events.Probes);
    }

    [Fact]
    public async Task AppAnswering500_IsDeliveredAgainOnTheNextTick()
    {
        var events = new Events { Status = 500 };
        await using var app = await TestApp.StartAsync(a => events.Map(a, "/ticker", answerOptions: 200));
        using var folder = new ResourcesFolder(BindingResources.Binding("ticker", "bindings.cron", ("schedule", "@every 1s")));
        await using var sidecar = await TestSidecar.StartAsync("app", folder.Path, o => o with { AppPort = app.Port });

        await events.NextAsync("/ticker", Wait);
        await events.NextAsync("/ticker", Wait);
    }

    [Fact]
    public async Task MalformedSchedule_FailsTheStartNamingFileAndType()
    {
        using var folder = new ResourcesFolder(BindingResources.Binding("ticker", "bindings.cron", ("schedule", "every ten seconds")));

        var ex = await Assert.ThrowsAsync<ResourceLoadException>(() => TestSidecar.StartAsync("app", folder.Path));

        Assert.Equal(
            $"{Path.Combine(folder.Path, "ticker.yaml")}:1: component 'ticker' (bindings.cron) failed to start: invalid schedule format 'every ten seconds': expected 5 to 6 fields, found 3: every ten seconds",
            ex.Message);
    }

    [Fact]
    public async Task MissingSchedule_FailsTheStart_UnlessIgnoreErrors()
    {
        using var failing = new ResourcesFolder(BindingResources.Binding("ticker", "bindings.cron"));
        using var ignored = new ResourcesFolder(("ticker.yaml", BindingResources.Binding("ticker", "bindings.cron").Yaml
            .Replace("  version: v1\n", "  version: v1\n  ignoreErrors: true\n", StringComparison.Ordinal)));

        var ex = await Assert.ThrowsAsync<ResourceLoadException>(() => TestSidecar.StartAsync("app", failing.Path));
        await using var sidecar = await TestSidecar.StartAsync("app", ignored.Path);

        Assert.EndsWith("component 'ticker' (bindings.cron) failed to start: schedule not set", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain((await sidecar.Client.GetMetadataAsync()).Components, c => c.Name == "ticker");
    }

    [GeneratedRegex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? \+0000 UTC$")]
    private static partial Regex GoUtcTime();

    private sealed record Delivery(string Body, string? ContentType, string? TimeZone, string? ReadTimeUtc);

    /// <summary>What the app saw: OPTIONS probes and POST deliveries per route.</summary>
    private sealed class Events
    {
        private readonly ConcurrentDictionary<string, System.Threading.Channels.Channel<Delivery>> _routes = new();
        private readonly ConcurrentDictionary<string, ConcurrentQueue<Delivery>> _all = new();
        private readonly ConcurrentQueue<string> _probes = new();

        public int Status { get; init; } = 200;

        public IReadOnlyList<string> Probes => [.. _probes];

        public IReadOnlyList<Delivery> Deliveries(string route) => [.. _all.GetOrAdd(route, _ => new())];

        public void Map(WebApplication app, string route, int answerOptions)
        {
            app.MapMethods(route, ["OPTIONS"], () =>
            {
                _probes.Enqueue(route);
                return Results.StatusCode(answerOptions);
            });
            app.MapPost(route, async (HttpRequest request) =>
            {
                var delivery = new Delivery(await new StreamReader(request.Body).ReadToEndAsync(), request.ContentType,
                    request.Headers["timeZone"].FirstOrDefault(), request.Headers["readTimeUTC"].FirstOrDefault());
                _all.GetOrAdd(route, _ => new()).Enqueue(delivery);
                await Channel(route).Writer.WriteAsync(delivery);
                return Results.StatusCode(Status);
            });
        }

        public async Task<Delivery> NextAsync(string route, TimeSpan wait)
        {
            using var timeout = new CancellationTokenSource(wait);
            try
            {
                return await Channel(route).Reader.ReadAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new Xunit.Sdk.XunitException($"no event reached {route} within {wait.TotalSeconds}s (probes: {string.Join(", ", Probes)})");
            }
        }

        private System.Threading.Channels.Channel<Delivery> Channel(string route) =>
            _routes.GetOrAdd(route, _ => System.Threading.Channels.Channel.CreateUnbounded<Delivery>());
    }
}
