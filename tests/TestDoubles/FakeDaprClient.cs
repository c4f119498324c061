using System.Text.Json;
using Dapr.Client;

namespace TestDoubles;

/// <summary>
/// An in-memory <see cref="DaprClient"/> for service tests. It honours the sidecar's state semantics (ETags,
/// first-write, transactions), records published events and lets a test script service invocation. Every member a
/// test could reach without it being modelled here throws <see cref="NotSupportedException"/>, so a gap is loud.
/// One lock guards all of it: a double must be obviously correct under concurrency before it is fast.
/// </summary>
public sealed partial class FakeDaprClient : DaprClient
{
    private readonly Lock _gate = new();

    /// <summary>Web defaults (camelCase), as <c>DaprClientBuilder</c> uses.</summary>
    public override JsonSerializerOptions JsonSerializerOptions { get; } = new(JsonSerializerDefaults.Web);

    private byte[] Serialize<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, JsonSerializerOptions);

    private T? Deserialize<T>(ReadOnlySpan<byte> json) =>
        json.IsEmpty ? default : JsonSerializer.Deserialize<T>(json, JsonSerializerOptions);
}
