using System.Net;
using EndToEnd.Tests.Infrastructure;

namespace EndToEnd.Tests.WholeSystem;

/// <summary>
/// A machine crash in the middle of work: every process SIGKILLed while three orders wait on slow payments, then the
/// system started again on the same data. Each order must still reach its one correct end, with its stock and its
/// payment accounted for once. Runs the system itself (its own settings and data), so it first stops the shared one.
/// </summary>
public abstract class CrashRecoverySystemTests(SystemFixture fixture) : IAsyncLifetime
{
    private const string Customer = "cust-crash";

    /// <summary>Payments take 6 s, so the kill lands while every charge is in flight; the limit of 50 declines order C.</summary>
    private static readonly IReadOnlyDictionary<string, string> Settings = new Dictionary<string, string>
    {
        ["Payments__ProcessingDelay"] = "00:00:06",
        ["Payments__MaxAmount"] = "50",
    };

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private SystemData? _data;
    private readonly SystemClient _client = new();
    private readonly List<SystemRun> _runs = [];

    [Fact]
    public async Task Crash_WhilePaymentsAreInFlight_EveryOrderEndsRight_AfterARestartOnTheSameData()
    {
        await fixture.StopAsync();
        var suffix = Guid.NewGuid().ToString("N");
        var itemId = $"crate-{suffix}";
        var (orderA, orderB, orderC) = ($"crash-a-{suffix}", $"crash-b-{suffix}", $"crash-c-{suffix}");

        var first = await StartAsync();
        var created = await _client.PutItemAsync(itemId, "Crate", 10m, 10);
        Assert.True(created.Status == HttpStatusCode.Created, $"PUT item: {created}");
        foreach (var (orderId, quantity) in new[] { (orderA, 2), (orderB, 2), (orderC, 6) })
        {
            var accepted = await _client.CreateOrderAsync(orderId, Customer, itemId, quantity);
            Assert.True(accepted.Status == HttpStatusCode.Accepted, $"POST order {orderId}: {accepted}");
        }

        await _client.WaitForStockAsync(itemId, 0, Timeout);
        await Task.Delay(TimeSpan.FromSeconds(1));
        foreach (var orderId in new[] { orderA, orderB, orderC })
        {
            // The crash must hit unfinished work, or this test proves nothing about recovery.
            var before = (await _client.GetOrderAsync(orderId)).As<OrderView>();
            Assert.True(before.Status == "Pending", $"order {orderId} was {before.Status} before the crash; payments should still be in flight");
        }

        await first.CrashAsync();

        var second = await StartAsync();
        OrderView a, b, c;
        try
        {
            a = await _client.WaitForOrderAsync(orderA, "Completed", Timeout);
            b = await _client.WaitForOrderAsync(orderB, "Completed", Timeout);
            c = await _client.WaitForOrderAsync(orderC, "Cancelled", Timeout);
        }
        catch (TimeoutException e)
        {
            // What the restarted system said is the only way to tell why an order did not end right.
            throw new TimeoutException($"{e.Message}\nrestarted run's output:\n{second.Output}", e);
        }

        Assert.Equal((20m, 20m, 60m), (a.Total, b.Total, c.Total));
        Assert.Contains("exceeds the limit of 50", c.Reason, StringComparison.Ordinal);
        await _client.WaitForStockAsync(itemId, 6, Timeout);
        await _client.WaitForOrderNotificationAsync(orderA, "order.completed", Timeout);
        await _client.WaitForOrderNotificationAsync(orderB, "order.completed", Timeout);
        await _client.WaitForOrderNotificationAsync(orderC, "order.cancelled", Timeout);
        foreach (var (orderId, status, amount) in new[] { (orderA, "Approved", 20m), (orderB, "Approved", 20m), (orderC, "Declined", 60m) })
        {
            var payment = await _client.GetPaymentAsync(orderId);
            Assert.True(payment.Status == HttpStatusCode.OK, $"payment of {orderId}: {payment}");
            Assert.Equal((status, amount), (payment.As<PaymentView>().Status, payment.As<PaymentView>().Amount));

            // Payments logs each outcome it records; across both runs there must be exactly one per order.
            var recorded = first.Stdout.Concat(second.Stdout).Count(l => l.Contains($"Payment for order {orderId} of", StringComparison.Ordinal));
            Assert.True(recorded == 1, $"payments recorded {recorded} outcomes for {orderId}");
        }

        await second.StopAsync();
    }

    private async Task<SystemRun> StartAsync()
    {
        _data ??= await fixture.Backend.NewDataAsync();
        var run = await SystemRun.StartAsync(_data, Settings, _client);
        _runs.Add(run);
        return run;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var run in _runs)
        {
            await run.DisposeAsync();
        }

        _client.Dispose();
        if (_data is not null)
        {
            await _data.DisposeAsync();
        }
    }
}

[Collection(EmbeddedSystemCollection.Name)]
public sealed class CrashRecoveryOnEmbedded(EmbeddedSystemFixture fixture) : CrashRecoverySystemTests(fixture);

[Collection(RedisSystemCollection.Name)]
public sealed class CrashRecoveryOnRedis(RedisSystemFixture fixture) : CrashRecoverySystemTests(fixture);
