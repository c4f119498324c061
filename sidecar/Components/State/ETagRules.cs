using System.Globalization;

namespace Sidecar.Components.State;

/// <summary>
/// The one place both built-in stores take their ETag rules from: every write makes a new ETag; a write or delete that
/// carries an ETag succeeds only when the item exists with that ETag; a first-write save without an ETag fails when the
/// item exists; last-write without an ETag always writes.
/// </summary>
public static class ETagRules
{
    /// <summary>A new ETag: a random positive 63-bit number, so ETags of deleted and re-created items never repeat.</summary>
    public static string NewETag() => Random.Shared.NextInt64(1, long.MaxValue).ToString(CultureInfo.InvariantCulture);

    /// <summary>True when <paramref name="etag"/> has the shape of an ETag these stores issue.</summary>
    public static bool IsWellFormed(string etag) =>
        etag.Length is > 0 and <= 19 && etag.All(char.IsAsciiDigit) && long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out _);

    /// <summary>
    /// Throws when <paramref name="operation"/> may not apply to an item whose current ETag is
    /// <paramref name="currentETag"/> (null: missing or expired).
    /// </summary>
    public static void Check(StateOperation operation, string? currentETag)
    {
        if (!string.IsNullOrEmpty(operation.ETag))
        {
            if (!IsWellFormed(operation.ETag))
            {
                throw new StateETagInvalidException(operation.Key, operation.ETag);
            }

            if (!string.Equals(currentETag, operation.ETag, StringComparison.Ordinal))
            {
                throw new StateETagMismatchException(operation.Key);
            }

            return;
        }

        if (operation is StateSetOperation { Concurrency: Concurrency.FirstWrite } && currentETag is not null)
        {
            throw new StateETagMismatchException(operation.Key);
        }
    }
}
