namespace EndToEnd.Tests.WholeSystem;

/// <summary>
/// Every whole-system test: they share the fixed ports of <c>dapr.yaml</c>, so they run one at a time and never
/// beside another collection.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SystemCollection : ICollectionFixture<SystemFixture>
{
    public const string Name = "System";
}
