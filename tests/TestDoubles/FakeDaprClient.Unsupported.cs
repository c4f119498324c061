using Dapr.Client;

namespace TestDoubles;

/// <summary>
/// Building blocks the services do not use. Each throws, naming the member, so a test that reaches one fails with a
/// message rather than a silent default. Sidecar health answers healthy: a double that is "up" is the useful default.
/// </summary>
public sealed partial class FakeDaprClient
{
    private static NotSupportedException Unsupported(string member) =>
        new($"FakeDaprClient does not model {member}; extend tests/TestDoubles if a service starts using it.");

    public override Task<bool> CheckHealthAsync(CancellationToken cancellationToken = default) => Task.FromResult(true);

    public override Task<bool> CheckOutboundHealthAsync(CancellationToken cancellationToken = default) => Task.FromResult(true);

    public override Task WaitForSidecarAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public override Task ShutdownSidecarAsync(CancellationToken cancellationToken = default) =>
        throw Unsupported(nameof(ShutdownSidecarAsync));

    public override Task<DaprMetadata> GetMetadataAsync(CancellationToken cancellationToken = default) =>
        throw Unsupported(nameof(GetMetadataAsync));

    public override Task SetMetadataAsync(string attributeName, string attributeValue, CancellationToken cancellationToken = default) =>
        throw Unsupported(nameof(SetMetadataAsync));

    [Obsolete("Recommended guidance is to use a native HTTP or gRPC client for service invocation")]
    public override Task InvokeMethodGrpcAsync(string appId, string methodName, CancellationToken cancellationToken = default) =>
        throw Unsupported(nameof(InvokeMethodGrpcAsync));

    [Obsolete("Recommended guidance is to use a native HTTP or gRPC client for service invocation")]
    public override Task InvokeMethodGrpcAsync<TRequest>(string appId, string methodName, TRequest data,
        CancellationToken cancellationToken = default) =>
        throw Unsupported(nameof(InvokeMethodGrpcAsync));

    [Obsolete("Recommended guidance is to use a native HTTP or gRPC client for service invocation")]
    public override Task<TResponse> InvokeMethodGrpcAsync<TResponse>(string appId, string methodName,
        CancellationToken cancellationToken = default) =>
        throw Unsupported(nameof(InvokeMethodGrpcAsync));

    [Obsolete("Recommended guidance is to use a native HTTP or gRPC client for service invocation")]
    public override Task<TResponse> InvokeMethodGrpcAsync<TRequest, TResponse>(string appId, string methodName, TRequest data,
        CancellationToken cancellationToken = default) =>
        throw Unsupported(nameof(InvokeMethodGrpcAsync));

    public override Task InvokeBindingAsync<TRequest>(string bindingName, string operation, TRequest data,
        IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellationToken = default) =>
        throw Unsupported(nameof(InvokeBindingAsync));

    public override Task<TResponse> InvokeBindingAsync<TRequest, TResponse>(string bindingName, string operation, TRequest data,
        IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellationToken = default) =>
        throw Unsupported(nameof(InvokeBindingAsync));

    public override Task<BindingResponse> InvokeBindingAsync(BindingRequest request, CancellationToken cancellationToken = default) =>
        throw Unsupported(nameof(InvokeBindingAsync));

    public override Task<StateQueryResponse<TValue>> QueryStateAsync<TValue>(string storeName, string jsonQuery,
        IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellationToken = default) =>
        throw Unsupported(nameof(QueryStateAsync));

    public override Task<Dictionary<string, string>> GetSecretAsync(string storeName, string key,
        IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellationToken = default) =>
        throw Unsupported(nameof(GetSecretAsync));

    public override Task<Dictionary<string, Dictionary<string, string>>> GetBulkSecretAsync(string storeName,
        IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellationToken = default) =>
        throw Unsupported(nameof(GetBulkSecretAsync));

    public override Task<GetConfigurationResponse> GetConfiguration(string storeName, IReadOnlyList<string> keys,
        IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellationToken = default) =>
        throw Unsupported(nameof(GetConfiguration));

    public override Task<SubscribeConfigurationResponse> SubscribeConfiguration(string storeName, IReadOnlyList<string> keys,
        IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellationToken = default) =>
        throw Unsupported(nameof(SubscribeConfiguration));

    public override Task<UnsubscribeConfigurationResponse> UnsubscribeConfiguration(string storeName, string id,
        CancellationToken cancellationToken = default) =>
        throw Unsupported(nameof(UnsubscribeConfiguration));

    public override Task<ReadOnlyMemory<byte>> EncryptAsync(string vaultResourceName, ReadOnlyMemory<byte> plaintextBytes,
        string keyName, EncryptionOptions encryptionOptions, CancellationToken cancellationToken = default) =>
        throw Unsupported(nameof(EncryptAsync));

    public override IAsyncEnumerable<ReadOnlyMemory<byte>> EncryptAsync(string vaultResourceName, Stream plaintextStream,
        string keyName, EncryptionOptions encryptionOptions, CancellationToken cancellationToken = default) =>
        throw Unsupported(nameof(EncryptAsync));

    public override Task<ReadOnlyMemory<byte>> DecryptAsync(string vaultResourceName, ReadOnlyMemory<byte> ciphertextBytes,
        string keyName, DecryptionOptions options, CancellationToken cancellationToken = default) =>
        throw Unsupported(nameof(DecryptAsync));

    public override Task<ReadOnlyMemory<byte>> DecryptAsync(string vaultResourceName, ReadOnlyMemory<byte> ciphertextBytes,
        string keyName, CancellationToken cancellationToken = default) =>
        throw Unsupported(nameof(DecryptAsync));

    public override IAsyncEnumerable<ReadOnlyMemory<byte>> DecryptAsync(string vaultResourceName, Stream ciphertextStream,
        string keyName, DecryptionOptions options, CancellationToken cancellationToken = default) =>
        throw Unsupported(nameof(DecryptAsync));

    public override IAsyncEnumerable<ReadOnlyMemory<byte>> DecryptAsync(string vaultResourceName, Stream ciphertextStream,
        string keyName, CancellationToken cancellationToken = default) =>
        throw Unsupported(nameof(DecryptAsync));

#pragma warning disable DAPR_DISTRIBUTEDLOCK // experimental in the SDK; only overridden to refuse it
    public override Task<TryLockResponse> Lock(string storeName, string resourceId, string lockOwner, int expiryInSeconds,
        CancellationToken cancellationToken = default) =>
        throw Unsupported(nameof(Lock));

    public override Task<UnlockResponse> Unlock(string storeName, string resourceId, string lockOwner,
        CancellationToken cancellationToken = default) =>
        throw Unsupported(nameof(Unlock));
#pragma warning restore DAPR_DISTRIBUTEDLOCK
}
