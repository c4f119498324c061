namespace Sidecar.Hosting;

/// <summary>
/// A request body went past <c>--max-body-size</c> while being read. The message is dapr/kit's
/// <c>streams.ErrStreamTooLarge</c>, which daprd's handlers put in their error answers.
/// </summary>
public sealed class RequestBodyTooLargeException() : IOException("stream too large");
