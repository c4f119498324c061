namespace EndToEnd.Tests.WholeSystem;

/// <summary>
/// The whole-system tests on <c>--embedded</c>. Every system collection uses the fixed ports of <c>dapr.yaml</c>, so
/// they run one at a time and never beside another collection.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EmbeddedSystemCollection : ICollectionFixture<EmbeddedSystemFixture>
{
    public const string Name = "System on embedded";
}

/// <summary>The same whole-system tests on a real redis-server (see <see cref="EmbeddedSystemCollection"/>).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RedisSystemCollection : ICollectionFixture<RedisSystemFixture>
{
    public const string Name = "System on Redis";
}
