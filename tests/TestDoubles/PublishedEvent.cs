namespace TestDoubles;

/// <summary>An event a service published through <see cref="FakeDaprClient"/>; <see cref="Data"/> is the object as passed.</summary>
public sealed record PublishedEvent(string PubSubName, string Topic, object? Data, IReadOnlyDictionary<string, string> Metadata);
