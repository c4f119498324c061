using System.Globalization;

namespace Sidecar.AppChannel.Resiliency;

/// <summary>
/// A retry policy's <c>matching</c>: which HTTP and gRPC status codes are retried. An unset list retries every code of
/// its kind; a set list retries only the codes and ranges it names (<c>500-599,429</c>). A code that is neither an HTTP
/// (100-599) nor a gRPC (0-16) status is never retried.
/// </summary>
// dapr/dapr pkg/resiliency/retry.go ParseRetryConditionMatch, statusCodeNeedRetry, mustRetryStatusCode
public sealed class StatusCodeMatch
{
    private static readonly (int Start, int End) HttpCodes = (100, 599);
    private static readonly (int Start, int End) GrpcCodes = (0, 16);

    private readonly IReadOnlyList<(int Start, int End)>? _http;
    private readonly IReadOnlyList<(int Start, int End)>? _grpc;

    private StatusCodeMatch(IReadOnlyList<(int Start, int End)>? http, IReadOnlyList<(int Start, int End)>? grpc)
    {
        _http = http;
        _grpc = grpc;
    }

    /// <summary>No <c>matching</c>: every failing status is retried.</summary>
    public static StatusCodeMatch All { get; } = new(null, null);

    /// <summary>Reads <c>matching.httpStatusCodes</c> and <c>matching.gRPCStatusCodes</c>; a bad pattern fails naming <paramref name="where"/>.</summary>
    public static StatusCodeMatch Parse(string? httpStatusCodes, string? grpcStatusCodes, string where) => new(
        ParsePatterns(httpStatusCodes, HttpCodes, $"{where} matching.httpStatusCodes"),
        ParsePatterns(grpcStatusCodes, GrpcCodes, $"{where} matching.gRPCStatusCodes"));

    /// <summary>Whether a failure answered with <paramref name="statusCode"/> is retried.</summary>
    public bool MustRetry(int statusCode) =>
        InRange(statusCode, GrpcCodes) ? MustRetry(statusCode, _grpc)
        : InRange(statusCode, HttpCodes) && MustRetry(statusCode, _http);

    private static bool MustRetry(int statusCode, IReadOnlyList<(int Start, int End)>? ranges) =>
        ranges is null || ranges.Any(r => InRange(statusCode, r));

    private static bool InRange(int code, (int Start, int End) range) => range.Start <= code && code <= range.End;

    private static List<(int Start, int End)>? ParsePatterns(string? patterns, (int Start, int End) valid, string where)
    {
        if (string.IsNullOrEmpty(patterns))
        {
            return null;
        }

        // Empty items ("500,,429") are skipped as daprd skips them; anything else must be a code or a range.
        return [.. patterns.Split(',').Where(p => p.Length > 0).Select(p => ParsePattern(p, valid, where))];
    }

    private static (int Start, int End) ParsePattern(string pattern, (int Start, int End) valid, string where)
    {
        var parts = pattern.Split('-');
        if (parts.Length > 2)
        {
            throw new InvalidOperationException($"{where}: invalid pattern '{pattern}', more than one '-' exists");
        }

        var start = ParseCode(parts[0], pattern, valid, where);
        var end = parts.Length == 2 ? ParseCode(parts[1], pattern, valid, where) : start;
        return end < start
            ? throw new InvalidOperationException($"{where}: invalid pattern '{pattern}', the start is bigger than the end")
            : (start, end);
    }

    private static int ParseCode(string text, string pattern, (int Start, int End) valid, string where)
    {
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var code))
        {
            throw new InvalidOperationException($"{where}: invalid pattern '{pattern}', '{text}' is not a status code");
        }

        return InRange(code, valid) ? code
            : throw new InvalidOperationException(
                $"{where}: invalid pattern '{pattern}', {code} is not a status code ({valid.Start}-{valid.End})");
    }
}
