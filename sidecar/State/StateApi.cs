using System.Globalization;
using Sidecar.AppChannel.Resiliency;
using Sidecar.Components;
using Sidecar.Components.State;
using Sidecar.Hosting;
using Sidecar.State.Outbox;

namespace Sidecar.State;

/// <summary>
/// The state building block over the stores: key prefixes, TTL metadata, bulk reads, transactions, and the translation
/// of store failures into <see cref="StateErrors"/>. Both API surfaces are thin adapters over this class.
/// </summary>
internal sealed class StateApi(
    IStateStoreRegistry stores, SidecarOptions options, IResiliencyPolicies policies, TimeProvider time, OutboxRelay outbox) : IStateApi
{
    private const int DefaultBulkParallelism = 16;
    private static readonly IReadOnlyDictionary<string, string> NoMetadata = new Dictionary<string, string>();

    public async Task<StateItem> GetAsync(
        string store, string key, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        var (instance, keys) = Resolve(store);
        return await ReadAsync(instance, keys, store, key, cancellationToken);
    }

    public async Task<IReadOnlyList<BulkStateItem>> GetBulkAsync(
        string store, IReadOnlyList<string> keys, int parallelism, IReadOnlyDictionary<string, string> metadata,
        CancellationToken cancellationToken)
    {
        var (instance, prefixer) = Resolve(store);
        var results = new BulkStateItem[keys.Count];
        var parallel = new ParallelOptions
        {
            MaxDegreeOfParallelism = parallelism > 0 ? parallelism : DefaultBulkParallelism,
            CancellationToken = cancellationToken,
        };
        await Parallel.ForEachAsync(Enumerable.Range(0, keys.Count), parallel, async (i, ct) =>
        {
            // One answer per key asked: a key that fails carries its error instead of failing the whole call.
            try
            {
                var item = await ReadAsync(instance, prefixer, store, keys[i], ct);
                results[i] = new BulkStateItem(keys[i], item.Data, item.ETag, item.Metadata, null);
            }
            catch (Errors.DaprException ex)
            {
                results[i] = new BulkStateItem(keys[i], [], "", NoMetadata, ex.Error.Message);
            }
        });
        return results;
    }

    public async Task SaveAsync(string store, IReadOnlyList<StateSaveRequest> items, CancellationToken cancellationToken)
    {
        var (instance, keys) = Resolve(store);
        var operations = items.Select(i => ToOperation(keys, i)).ToList();
        foreach (var operation in operations)
        {
            try
            {
                await OutboundAsync(store, token => instance.SetAsync((StateSetOperation)operation, token), cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not Errors.DaprException)
            {
                throw StateErrors.Save(store, ex).ToException();
            }
        }
    }

    public async Task DeleteAsync(string store, StateDeleteRequest request, CancellationToken cancellationToken)
    {
        var (instance, keys) = Resolve(store);
        var operation = (StateDeleteOperation)ToOperation(keys, request);
        try
        {
            await OutboundAsync(store, token => instance.DeleteAsync(operation, token), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not Errors.DaprException)
        {
            throw StateErrors.Delete(request.Key, ex).ToException();
        }
    }

    public async Task DeleteBulkAsync(string store, IReadOnlyList<StateDeleteRequest> requests, CancellationToken cancellationToken)
    {
        var (instance, keys) = Resolve(store);
        var operations = requests.Select(r => (StateDeleteOperation)ToOperation(keys, r)).ToList();
        foreach (var operation in operations)
        {
            try
            {
                await OutboundAsync(store, token => instance.DeleteAsync(operation, token), cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not Errors.DaprException)
            {
                throw StateErrors.DeleteBulk(store, ex).ToException();
            }
        }
    }

    public async Task ExecuteTransactionAsync(string store, IReadOnlyList<StateRequest> operations, CancellationToken cancellationToken)
    {
        var (instance, keys) = Resolve(store);
        IReadOnlyList<StateRequest> apply = operations;
        IReadOnlyList<OutboxEvent> events = [];
        if (outbox.SettingsFor(store) is { } settings)
        {
            (apply, events) = OutboxPlan.Create(operations, settings, options.AppId, store, time.GetUtcNow());
        }

        // The outbox records go last, as daprd's marker does: on Redis, which does not roll back, they are written even
        // when an earlier operation fails, and are removed again below.
        var storeOperations = apply.Select(o => ToOperation(keys, o)).Concat(events.Select(e => e.ToOperation())).ToList();
        try
        {
            await OutboundAsync(store, token => instance.ExecuteTransactionAsync(storeOperations, token), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not Errors.DaprException)
        {
            await outbox.ForgetAsync(instance, events);
            throw StateErrors.Transaction(ex).ToException();
        }

        outbox.Enqueue(store, events);
    }

    private (IStateStore Store, StateKeys Keys) Resolve(string store)
    {
        if (stores.StateStoreNames.Count == 0)
        {
            throw StateErrors.NotConfigured().ToException();
        }

        var registered = stores.FindStateStore(store) ?? throw StateErrors.StoreNotFound(store).ToException();
        return ((IStateStore)registered.Instance, new StateKeys(registered.Definition, options.AppId));
    }

    // The store's outbound policy (targets.components.<name>.outbound) wraps each store call: every error, an ETag
    // mismatch included, is counted by the breaker and retried, as daprd's runner does.
    // dapr/dapr pkg/api/http/http.go onPostState, onGetState, onDeleteState (ComponentOutboundPolicy)
    private Task OutboundAsync(string store, Func<CancellationToken, Task> call, CancellationToken cancellationToken) =>
        OutboundAsync(store, async token =>
        {
            await call(token);
            return true;
        }, cancellationToken);

    private Task<T> OutboundAsync<T>(string store, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken) =>
        policies.RunnerForComponentOutbound(store, ComponentKind.Statestore).RunAsync(call, _ => AttemptVerdict.Success, null, cancellationToken);

    private async Task<StateItem> ReadAsync(
        IStateStore instance, StateKeys keys, string store, string key, CancellationToken cancellationToken)
    {
        var stored = keys.ToStored(key);
        StateEntry? entry;
        try
        {
            entry = await OutboundAsync(store, token => instance.GetAsync(stored, token), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw StateErrors.Get(key, store, ex).ToException();
        }

        if (entry is null)
        {
            return new StateItem(key, [], "", NoMetadata);
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        if (entry.ExpiresAt is { } expiresAt)
        {
            metadata[StateMetadata.TtlExpireTime] = expiresAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        }

        if (entry.ContentType is { } contentType)
        {
            metadata[StateMetadata.ContentType] = contentType;
        }

        return new StateItem(key, entry.Value, entry.ETag, metadata);
    }

    private StateOperation ToOperation(StateKeys keys, StateRequest request)
    {
        if (string.IsNullOrEmpty(request.Key))
        {
            throw StateErrors.Malformed("state key is empty").ToException();
        }

        var stored = keys.ToStored(request.Key);
        var etag = string.IsNullOrEmpty(request.ETag) ? null : request.ETag;
        return request switch
        {
            StateSaveRequest save => ToSetOperation(stored, etag, save),
            _ => new StateDeleteOperation(stored, etag, request.Concurrency),
        };
    }

    private StateSetOperation ToSetOperation(string stored, string? etag, StateSaveRequest save)
    {
        var ttl = TtlSeconds(save.Metadata);
        DateTimeOffset? expiresAt = ttl is >= 0 ? time.GetUtcNow().AddSeconds(ttl.Value) : null;
        return new StateSetOperation(stored, save.Value, etag, save.Concurrency, expiresAt,
            save.Metadata.GetValueOrDefault(StateMetadata.ContentType), ttl);
    }

    /// <summary><c>ttlInSeconds</c>: a whole number of seconds from now; negative means the item never expires.</summary>
    private static long? TtlSeconds(IReadOnlyDictionary<string, string> metadata)
    {
        if (!metadata.TryGetValue(StateMetadata.TtlInSeconds, out var text) || string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds)
            ? seconds
            : throw StateErrors.Malformed($"metadata ttlInSeconds '{text}' is not a whole number of seconds").ToException();
    }
}
