using System.Globalization;
using Sidecar.AppChannel.Resources;

namespace Sidecar.Components.PubSub;

/// <summary>
/// The pub/sub-only metadata of <c>pubsub.redis</c> with components-contrib's defaults (<c>common/component/redis</c>,
/// whose code sets processingTimeout 60s and redeliverInterval 15s; its metadata.yaml documents them swapped, the code
/// wins). Durations are Go durations (<c>30s</c>) or, as contrib reads them for legacy reasons, plain milliseconds.
/// A zero <see cref="ProcessingTimeout"/> or <see cref="RedeliverInterval"/> turns redelivery of pending messages off.
/// </summary>
internal sealed record RedisStreamsSettings(
    string? ConsumerId, TimeSpan ProcessingTimeout, TimeSpan RedeliverInterval, int QueueDepth, int Concurrency,
    long MaxLenApprox, TimeSpan StreamTtl)
{
    public const string ConsumerIdKey = "consumerID";
    public const string ProcessingTimeoutKey = "processingTimeout";
    public const string RedeliverIntervalKey = "redeliverInterval";
    public const string QueueDepthKey = "queueDepth";
    public const string ConcurrencyKey = "concurrency";
    public const string MaxLenApproxKey = "maxLenApprox";
    public const string StreamTtlKey = "streamTTL";

    /// <summary>True when pending messages are reclaimed and redelivered (both durations set).</summary>
    public bool RedeliveryEnabled => ProcessingTimeout > TimeSpan.Zero && RedeliverInterval > TimeSpan.Zero;

    /// <summary>Reads and checks the pub/sub metadata of <paramref name="definition"/>.</summary>
    public static RedisStreamsSettings From(ComponentDefinition definition) => new(
        NullIfEmpty(definition.Get(ConsumerIdKey)),
        Duration(definition, ProcessingTimeoutKey, TimeSpan.FromSeconds(60)),
        Duration(definition, RedeliverIntervalKey, TimeSpan.FromSeconds(15)),
        (int)Number(definition, QueueDepthKey, 100, min: 1),
        (int)Number(definition, ConcurrencyKey, 10, min: 1),
        Number(definition, MaxLenApproxKey, 0, min: 0),
        Duration(definition, StreamTtlKey, TimeSpan.Zero));

    /// <summary>The consumer group: <c>consumerID</c> (with <c>{appID}</c> and <c>{uuid}</c> filled in) or, as daprd defaults it, the app id.</summary>
    public string GroupFor(string appId) => ConsumerId is null
        ? appId
        : ConsumerId.Replace("{appID}", appId, StringComparison.Ordinal)
            .Replace("{uuid}", Guid.NewGuid().ToString(), StringComparison.Ordinal);

    private static TimeSpan Duration(ComponentDefinition definition, string key, TimeSpan fallback)
    {
        var text = definition.Get(key);
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds))
        {
            return TimeSpan.FromMilliseconds(milliseconds);
        }

        try
        {
            return GoDuration.Parse(text, $"metadata '{key}'");
        }
        catch (FormatException ex)
        {
            throw Invalid(definition, ex.Message);
        }
    }

    private static long Number(ComponentDefinition definition, string key, long fallback, long min)
    {
        var text = definition.Get(key);
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= int.MaxValue
            ? value
            : throw Invalid(definition, $"metadata '{key}' must be a whole number of at least {min}, not '{text}'");
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static ResourceLoadException Invalid(ComponentDefinition definition, string message) =>
        new($"{definition.Location}: component '{definition.Name}' ({definition.Type}) {message}");
}
