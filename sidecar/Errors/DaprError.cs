using System.Net;
using Grpc.Core;

namespace Sidecar.Errors;

/// <summary>
/// An error as data: a stable Dapr error code with the HTTP status and the gRPC status it maps to, so the HTTP and gRPC
/// surfaces answer the same way. Building blocks throw <see cref="DaprException"/> carrying one.
/// </summary>
public sealed record DaprError(string ErrorCode, string Message, HttpStatusCode HttpStatus, StatusCode GrpcStatus)
{
    /// <summary>Throws this error.</summary>
    public DaprException ToException() => new(this);
}

/// <summary>The exception that carries a <see cref="DaprError"/> up to the API surface that answers it.</summary>
public sealed class DaprException(DaprError error) : Exception(error.Message)
{
    public DaprError Error { get; } = error;
}
