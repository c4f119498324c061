namespace Sidecar.Invocation;

/// <summary>
/// How one sidecar hands an invocation to another's app (daprd uses its internal gRPC port; here a route on the HTTP
/// port): the method goes under <see cref="PathPrefix"/>, with the callee's registration token in
/// <see cref="TokenHeader"/>. An answer that is the callee sidecar's own error, not its app's, carries
/// <see cref="ErrorHeader"/>; every answer names the registration that gave it (<see cref="RegistrationHeader"/>).
/// </summary>
internal static class InternalInvocation
{
    public const string PathPrefix = "/dapr-local/v1/invoke";

    public const string TokenHeader = "dapr-local-internal-token";

    public const string ErrorHeader = "dapr-local-sidecar-error";

    /// <summary>
    /// On every answer of the internal route: the registration that answered. A caller that finds another (or none) has
    /// reached something else on a dead sidecar's port, and does not take its answer for the app's.
    /// </summary>
    public const string RegistrationHeader = "dapr-local-registration";
}
