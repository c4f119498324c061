namespace Sidecar.Components.State.Redis;

/// <summary>A Redis failure that is not an ETag conflict (daprd answers these with 500 / Internal).</summary>
public sealed class RedisStateException(string message, Exception? inner = null) : Exception(message, inner);
