namespace Sidecar.Invocation.Endpoints;

/// <summary>
/// An external HTTP service an app invokes by name, from a <c>kind: HTTPEndpoint</c> resource (dapr/dapr
/// <c>pkg/apis/httpEndpoint/v1alpha1/types.go</c>): <paramref name="BaseUrl"/> is <c>spec.baseUrl</c> as written, and
/// <paramref name="Headers"/> are <c>spec.headers</c> with their secrets already read, set on every request.
/// </summary>
internal sealed record HttpEndpoint(string Name, string BaseUrl, IReadOnlyList<KeyValuePair<string, string>> Headers)
{
    /// <summary>True for an invocation target that is itself a URL (<c>http://</c> or <c>https://</c>), as daprd tests it.</summary>
    public static bool IsUrl(string target) =>
        target.StartsWith("http://", StringComparison.Ordinal) || target.StartsWith("https://", StringComparison.Ordinal);
}
