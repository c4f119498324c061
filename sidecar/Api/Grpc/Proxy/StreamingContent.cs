namespace Sidecar.Api.Grpc.Proxy;

/// <summary>
/// A request body passed on as it arrives, flushed after every write: gRPC messages of a client stream must reach the
/// far side one by one, while its answers already flow back (HTTP/2 full duplex). A message over
/// <paramref name="limit"/> bytes fails the send (<see cref="GrpcMessageTooLargeException"/>).
/// </summary>
internal sealed class StreamingContent(Stream source, int? limit) : HttpContent
{
    protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context, CancellationToken cancellationToken) =>
        GrpcMessageCopy.CopyAsync(source, stream, limit, cancellationToken);

    protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
