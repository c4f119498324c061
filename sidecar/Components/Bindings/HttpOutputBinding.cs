using System.Globalization;
using System.Net.Http.Headers;
using Sidecar.AppChannel.Resources;

namespace Sidecar.Components.Bindings;

/// <summary>
/// <c>bindings.http</c> (output): each operation (<c>get</c>, <c>head</c>, <c>post</c>, <c>put</c>, <c>patch</c>,
/// <c>delete</c>, <c>options</c>, <c>trace</c>, and <c>create</c> = post) is that HTTP method on <c>url</c>, with the
/// request's <c>path</c> metadata appended. Request metadata whose name starts with a capital letter becomes a header;
/// the answer carries the body and metadata <c>statusCode</c>, <c>status</c> and every response header. A status
/// outside 2xx is an error (metadata still returned) unless <c>errorIfNot2XX</c> is false, on the component or the
/// request. Options: <c>responseTimeout</c>, <c>securityToken</c> + <c>securityTokenHeader</c>,
/// <c>maxResponseBodySize</c> (bytes, default 100 MB). The mTLS options are refused: not served here.
/// </summary>
// dapr/components-contrib bindings/http/http.go
internal sealed class HttpOutputBinding : IOutputBinding, IDisposable
{
    public const string Type = "bindings.http";

    private const long DefaultMaxResponseBodySize = 100L << 20;

    private static readonly string[] TraceHeaders = ["traceparent", "tracestate", "baggage"];

    private readonly HttpClient _client = new(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(15), AllowAutoRedirect = true })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    private readonly string _url;
    private readonly bool _errorIfNot2XX;
    private readonly TimeSpan? _responseTimeout;
    private readonly string? _securityToken;
    private readonly string? _securityTokenHeader;
    private readonly long _maxResponseBodySize;

    private HttpOutputBinding(ComponentDefinition definition)
    {
        foreach (var tls in new[] { "mtlsRootCA", "mtlsClientCert", "mtlsClientKey", "mtlsRenegotiation" })
        {
            if (BindingMetadata.Get(definition, tls) is not null)
            {
                throw new InvalidOperationException($"'{tls}' is not served by the local sidecar's bindings.http");
            }
        }

        _url = BindingMetadata.Get(definition, "url") ?? "";
        _errorIfNot2XX = BindingMetadata.Get(definition, "errorIfNot2XX") is not { } flag || IsTruthy(flag);
        _responseTimeout = BindingMetadata.Get(definition, "responseTimeout") is { } timeout
            ? GoDuration.Parse(timeout, "responseTimeout")
            : null;
        _securityToken = BindingMetadata.Get(definition, "securityToken");
        _securityTokenHeader = BindingMetadata.Get(definition, "securityTokenHeader");
        _maxResponseBodySize = BindingMetadata.Get(definition, "maxResponseBodySize") is { } size
            ? ParseByteSize(size)
            : DefaultMaxResponseBodySize;
    }

    public IReadOnlyList<string> Operations { get; } = ["create", "get", "head", "post", "put", "patch", "delete", "options", "trace"];

    public static HttpOutputBinding Create(ComponentContext context) => new(context.Definition);

    public async Task<BindingResponse?> InvokeAsync(BindingRequest request, CancellationToken cancellationToken)
    {
        var url = request.Get("path") is { } path ? _url.TrimEnd('/') + "/" + path.TrimStart('/') : _url;
        var errorIfNot2XX = request.Get("errorIfNot2XX") is { } flag ? IsTruthy(flag) : _errorIfNot2XX;
        var method = request.Operation.ToUpperInvariant() is var upper && upper == "CREATE" ? "POST" : upper;
        var hasBody = method is "PUT" or "POST" or "PATCH";
        if (!hasBody && method is not ("GET" or "HEAD" or "DELETE" or "OPTIONS" or "TRACE"))
        {
            throw new BindingException($"invalid operation: {request.Operation}");
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new BindingException($"{GoMethod(method)} \"{url}\": unsupported protocol scheme or malformed URL (set the component's 'url')");
        }

        using var message = new HttpRequestMessage(new HttpMethod(method), uri);
        if (hasBody)
        {
            message.Content = new ByteArrayContent(request.Data);
            if (!request.Metadata.ContainsKey("Content-Type"))
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=utf-8");
            }
        }

        if (!request.Metadata.ContainsKey("Accept"))
        {
            message.Headers.TryAddWithoutValidation("Accept", "application/json; charset=utf-8");
        }

        if (_securityToken is not null && _securityTokenHeader is not null)
        {
            SetHeader(message, _securityTokenHeader, _securityToken);
        }

        foreach (var (key, value) in request.Metadata)
        {
            if (key.Length > 0 && key[0] is >= 'A' and <= 'Z')
            {
                SetHeader(message, key, value);
            }
        }

        foreach (var header in TraceHeaders)
        {
            if (request.Get(header) is { } value)
            {
                SetHeader(message, header, value);
            }
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (_responseTimeout is { } limit)
        {
            timeout.CancelAfter(limit);
        }

        HttpResponseMessage response;
        try
        {
            response = await _client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var reason = ex is OperationCanceledException ? "context deadline exceeded" : ex.Message;
            throw new BindingException($"{GoMethod(method)} \"{url}\": {reason}", inner: ex);
        }

        using (response)
        {
            var body = await ReadLimitedAsync(response.Content, timeout.Token);
            var code = (int)response.StatusCode;
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["statusCode"] = code.ToString(CultureInfo.InvariantCulture),
                ["status"] = $"{code} {response.ReasonPhrase}".TrimEnd(),
            };
            foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
            {
                metadata[CanonicalHeaderKey(name)] = string.Join(", ", values);
            }

            if (errorIfNot2XX && code / 100 != 2)
            {
                throw new BindingException($"received status code {code}", metadata);
            }

            return new BindingResponse(body, metadata);
        }
    }

    public void Dispose() => _client.Dispose();

    private async Task<byte[]> ReadLimitedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while (buffer.Length < _maxResponseBodySize
               && (read = await stream.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, _maxResponseBodySize - buffer.Length)), cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static void SetHeader(HttpRequestMessage message, string name, string value)
    {
        // Replaced, as Go's Header.Set does; content headers (Content-Type...) live on the content in .NET.
        if (!IsContentHeader(name))
        {
            message.Headers.Remove(name);
            message.Headers.TryAddWithoutValidation(name, value);
        }
        else if (message.Content is not null)
        {
            message.Content.Headers.Remove(name);
            message.Content.Headers.TryAddWithoutValidation(name, value);
        }
    }

    private static bool IsContentHeader(string name) =>
        name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase) || name.Equals("Expires", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Last-Modified", StringComparison.OrdinalIgnoreCase) || name.Equals("Allow", StringComparison.OrdinalIgnoreCase);

    /// <summary>Go's <c>http.CanonicalHeaderKey</c>: <c>content-type</c> → <c>Content-Type</c>.</summary>
    internal static string CanonicalHeaderKey(string name) =>
        string.Join('-', name.Split('-').Select(part => part.Length == 0 ? part : char.ToUpperInvariant(part[0]) + part[1..].ToLowerInvariant()));

    /// <summary>How Go's <c>url.Error</c> names the method: <c>Get</c>, <c>Post</c>.</summary>
    private static string GoMethod(string method) => method[0] + method[1..].ToLowerInvariant();

    // dapr/kit strings.IsTruthy
    private static bool IsTruthy(string value) =>
        value.Trim().ToLowerInvariant() is "y" or "yes" or "true" or "t" or "on" or "1";

    /// <summary>dapr/kit's ByteSize: a number of bytes, optionally with a suffix (<c>Ki</c>, <c>Mi</c>, <c>Gi</c>, <c>K</c>, <c>M</c>, <c>G</c>).</summary>
    private static long ParseByteSize(string text)
    {
        var trimmed = text.Trim();
        var digits = trimmed.TakeWhile(char.IsDigit).Count();
        var multiplier = trimmed[digits..] switch
        {
            "" => 1L,
            "K" or "k" or "KB" => 1000L,
            "Ki" or "KiB" => 1L << 10,
            "M" or "MB" => 1000L * 1000,
            "Mi" or "MiB" => 1L << 20,
            "G" or "GB" => 1000L * 1000 * 1000,
            "Gi" or "GiB" => 1L << 30,
            _ => throw new InvalidOperationException($"invalid value for maxResponseBodySize: '{text}'"),
        };
        return digits > 0 && long.TryParse(trimmed[..digits], NumberStyles.None, CultureInfo.InvariantCulture, out var amount)
            ? amount * multiplier
            : throw new InvalidOperationException($"invalid value for maxResponseBodySize: '{text}'");
    }
}
