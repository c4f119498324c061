using System.Net;

namespace Sidecar.AppChannel;

/// <summary>
/// The app's response body, holding an <see cref="AppConcurrencyLimiter"/> slot until it is disposed: the call into the
/// app is not over while its answer is still being read (daprd's channel keeps the slot until then too).
/// </summary>
internal sealed class SlotHoldingContent : HttpContent
{
    private readonly HttpContent _inner;
    private readonly IDisposable _slot;

    public SlotHoldingContent(HttpContent inner, IDisposable slot)
    {
        _inner = inner;
        _slot = slot;
        foreach (var (name, values) in inner.Headers)
        {
            Headers.TryAddWithoutValidation(name, values);
        }
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => _inner.CopyToAsync(stream, context);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
        _inner.CopyToAsync(stream, context, cancellationToken);

    protected override Task<Stream> CreateContentReadStreamAsync() => _inner.ReadAsStreamAsync();

    protected override Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken) => _inner.ReadAsStreamAsync(cancellationToken);

    protected override bool TryComputeLength(out long length)
    {
        length = _inner.Headers.ContentLength ?? -1;
        return length >= 0;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
            _slot.Dispose();
        }

        base.Dispose(disposing);
    }
}
