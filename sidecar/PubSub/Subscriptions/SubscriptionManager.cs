using Microsoft.Extensions.Hosting;
using Sidecar.AppChannel;
using Sidecar.AppChannel.Resiliency;
using Sidecar.Components;
using Sidecar.Components.PubSub;
using Sidecar.Hosting;
using Sidecar.Observability;
using Sidecar.PubSub.Delivery;

namespace Sidecar.PubSub.Subscriptions;

/// <summary>
/// Starts delivery once the app port answers (like daprd): the declarative subscriptions in scope plus what the app's
/// <c>GET /dapr/subscribe</c> returns, each subscribed to its pub/sub with the app id as consumer group. A
/// subscription to a pub/sub this app does not have is skipped with a warning, as daprd does.
/// </summary>
internal sealed partial class SubscriptionManager(
    ResourceSet resources, IPubSubRegistry pubSubs, IAppChannel channel, IAppHealth health, IResiliencyPolicies policies,
    SidecarOptions options, TimeProvider time, ILogger<SubscriptionManager> logger, SidecarTelemetry telemetry)
    : BackgroundService, ISubscriptionRegistry
{
    public const string SubscriptionKind = "Subscription";

    private readonly List<IAsyncDisposable> _subscriptions = [];
    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile IReadOnlyList<Subscription> _active = [];

    public IReadOnlyList<Subscription> Subscriptions => _active;

    public Task Loaded => _loaded.Task;

    /// <summary>The declarative subscriptions, read at construction so a bad rule fails the start naming its file.</summary>
    private readonly IReadOnlyList<Subscription> _declarative = DeclarativeSubscriptions.For(
        resources.OfKind(SubscriptionKind).Select(d => new SubscriptionDocument(d.Name, d.ApiVersion, d.Spec, d.Scopes, d.SourceFile, d.Line)),
        options.AppId);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            if (!channel.IsConfigured)
            {
                _loaded.TrySetResult();
                return;
            }

            await channel.WaitForAppPortAsync(stoppingToken);
            var programmatic = await LoadProgrammaticAsync(stoppingToken);
            var active = new List<Subscription>();
            foreach (var subscription in SubscriptionMerge.OnePerTopic(_declarative, programmatic))
            {
                if (!pubSubs.TryGetPubSub(subscription.PubSubName, out var pubSub))
                {
                    LogUnknownPubSub(subscription.PubSubName, subscription.Topic);
                    continue;
                }

                _subscriptions.Add(pubSub.Subscribe(subscription.Topic, options.AppId, HandlerFor(subscription, pubSub, stoppingToken)));
                active.Add(subscription);
                LogSubscribed(subscription.PubSubName, subscription.Topic, subscription.Kind.ToString());
            }

            _active = active;
            _loaded.TrySetResult();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            _loaded.TrySetCanceled(stoppingToken);
        }
        catch (Exception ex)
        {
            LogLoadFailed(ex.Message);
            _loaded.TrySetException(ex);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        foreach (var subscription in _subscriptions)
        {
            await subscription.DisposeAsync();
        }

        _subscriptions.Clear();
    }

    private async Task<IReadOnlyList<Subscription>> LoadProgrammaticAsync(CancellationToken stoppingToken)
    {
        try
        {
            return await ProgrammaticSubscriptions.LoadAsync(channel, options.AppId, LogProgrammaticSkipped, stoppingToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or FormatException or System.Text.Json.JsonException)
        {
            // A broken /dapr/subscribe costs the app its programmatic subscriptions, not its declarative ones.
            LogProgrammaticFailed(ex.Message);
            return [];
        }
    }

    private Func<PubSubMessage, CancellationToken, Task> HandlerFor(Subscription subscription, IPubSub pubSub, CancellationToken stopping)
    {
        var single = new SubscriptionDelivery(subscription, pubSub, channel, health, policies, time, logger, telemetry);
        if (subscription.BulkSubscribe is null)
        {
            return single.HandleAsync;
        }

        var bulk = new BulkSubscriptionDelivery(single, channel, health, time, logger, stopping);
        return bulk.HandleAsync;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Subscribed to {PubSub}/{Topic} ({Kind})")]
    private partial void LogSubscribed(string pubSub, string topic, string kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subscription to topic {Topic} names pubsub {PubSub}, which this app does not have; skipped")]
    private partial void LogUnknownPubSub(string pubSub, string topic);

    [LoggerMessage(Level = LogLevel.Error, Message = "GET /dapr/subscribe failed; no programmatic subscriptions: {Error}")]
    private partial void LogProgrammaticFailed(string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Subscription left out: {Error}")]
    private partial void LogProgrammaticSkipped(string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Loading subscriptions failed: {Error}")]
    private partial void LogLoadFailed(string error);
}
