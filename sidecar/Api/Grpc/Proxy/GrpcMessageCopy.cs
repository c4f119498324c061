using System.Buffers.Binary;
using System.Globalization;

namespace Sidecar.Api.Grpc.Proxy;

/// <summary>
/// Passes a proxied call's gRPC messages on (each a 5-byte prefix, compression flag and big-endian length, then its
/// bytes), flushing after every write so streams flow, and refuses a message over <c>--max-body-size</c> before any of
/// it is written, as daprd's proxy does with <c>grpc.MaxCallRecvMsgSize</c>/<c>MaxCallSendMsgSize</c> of that size.
/// </summary>
// dapr/dapr pkg/api/grpc/proxy/handler.go handler (maxRequestBodySize call options); grpc-go rpc_util.go recvAndDecompress
internal static class GrpcMessageCopy
{
    private const int PrefixLength = 5;

    /// <summary>Copies <paramref name="source"/> to <paramref name="destination"/>; <paramref name="limit"/> null is unlimited.</summary>
    public static async Task CopyAsync(Stream source, Stream destination, int? limit, CancellationToken cancellationToken)
    {
        var prefix = new byte[PrefixLength];
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var got = await source.ReadAtLeastAsync(prefix, PrefixLength, throwOnEndOfStream: false, cancellationToken);
            if (got < PrefixLength)
            {
                // The end, or a cut-off prefix the far side will judge as it would without the proxy.
                await WriteAsync(destination, prefix.AsMemory(0, got), cancellationToken);
                return;
            }

            var length = BinaryPrimitives.ReadUInt32BigEndian(prefix.AsSpan(1));
            if (limit is { } max && length > (uint)max)
            {
                throw new GrpcMessageTooLargeException(length, max);
            }

            await WriteAsync(destination, prefix, cancellationToken);
            for (long left = length; left > 0;)
            {
                var read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), cancellationToken);
                if (read == 0)
                {
                    return;
                }

                await WriteAsync(destination, buffer.AsMemory(0, read), cancellationToken);
                left -= read;
            }
        }
    }

    /// <summary>The --max-body-size of <paramref name="maxBodySize"/> as a message limit (null: unlimited).</summary>
    public static int? Limit(long maxBodySize) => maxBodySize > 0 ? (int)Math.Min(maxBodySize, int.MaxValue) : null;

    private static async Task WriteAsync(Stream destination, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        if (bytes.IsEmpty)
        {
            return;
        }

        await destination.WriteAsync(bytes, cancellationToken);
        await destination.FlushAsync(cancellationToken);
    }
}

/// <summary>A proxied gRPC message over <c>--max-body-size</c>: the call ends ResourceExhausted, with grpc-go's message.</summary>
internal sealed class GrpcMessageTooLargeException(uint length, int limit)
    : Exception(string.Create(CultureInfo.InvariantCulture, $"grpc: received message larger than max ({length} vs. {limit})"))
{
    /// <summary>The exception itself, or the one found among the inner exceptions of <paramref name="exception"/>.</summary>
    public static GrpcMessageTooLargeException? In(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is GrpcMessageTooLargeException tooLarge)
            {
                return tooLarge;
            }
        }

        return null;
    }
}
