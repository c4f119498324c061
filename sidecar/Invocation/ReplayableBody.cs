namespace Sidecar.Invocation;

/// <summary>
/// A request body that can be sent more than once (for retries) when it fits in <see cref="Limit"/> bytes; a larger
/// one is streamed once and the call is not retried.
/// </summary>
internal sealed class ReplayableBody
{
    public const int Limit = 4 * 1024 * 1024;

    private readonly byte[]? _buffer;
    private Stream? _oneShot;

    private ReplayableBody(byte[]? buffer, Stream? oneShot)
    {
        _buffer = buffer;
        _oneShot = oneShot;
    }

    public bool CanReplay => _buffer is not null;

    public static async Task<ReplayableBody> ReadAsync(Stream body, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > Limit)
            {
                buffer.Position = 0;
                return new ReplayableBody(null, new PrefixedStream(buffer, body));
            }
        }

        return new ReplayableBody(buffer.ToArray(), null);
    }

    /// <summary>A fresh stream over the body (the one-shot stream only the first time).</summary>
    public Stream Open()
    {
        if (_buffer is not null)
        {
            return new MemoryStream(_buffer, writable: false);
        }

        var stream = _oneShot ?? throw new InvalidOperationException("the request body was already sent and cannot be replayed");
        _oneShot = null;
        return stream;
    }

    /// <summary>What was buffered, then the rest of the original stream.</summary>
    private sealed class PrefixedStream(MemoryStream prefix, Stream rest) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = prefix.Read(buffer, offset, count);
            return read > 0 ? read : rest.Read(buffer, offset, count);
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await prefix.ReadAsync(buffer, cancellationToken);
            return read > 0 ? read : await rest.ReadAsync(buffer, cancellationToken);
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
