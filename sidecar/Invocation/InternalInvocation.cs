using Sidecar.NameResolution;

namespace Sidecar.Invocation;

/// <summary>
/// How one sidecar reaches another of another process (daprd uses its internal gRPC port; here routes on the HTTP
/// port): an invocation of the callee's app goes under <see cref="PathPrefix"/>, workflow work for the callee's engine
/// under <see cref="WorkflowPathPrefix"/>, each with the callee's registration token in <see cref="TokenHeader"/>. An
/// answer that is the callee sidecar's own error, not its app's, carries <see cref="ErrorHeader"/>; every answer names
/// the registration that gave it (<see cref="RegistrationHeader"/>).
/// </summary>
internal static class InternalInvocation
{
    public const string PathPrefix = "/dapr-local/v1/invoke";

    /// <summary>Workflow work another sidecar's engine hands to this one (activities, children, results, terminate).</summary>
    public const string WorkflowPathPrefix = "/dapr-local/v1/workflow";

    public const string TokenHeader = "dapr-local-internal-token";

    public const string ErrorHeader = "dapr-local-sidecar-error";

    /// <summary>
    /// On every answer of the internal routes: the registration that answered. A caller that finds another (or none) has
    /// reached something else on a dead sidecar's port, and does not take its answer for the callee's.
    /// </summary>
    public const string RegistrationHeader = "dapr-local-registration";

    /// <summary>True for the internal routes: they check the registration token, not the API token.</summary>
    public static bool IsInternalPath(PathString path) =>
        path.StartsWithSegments(PathPrefix, StringComparison.Ordinal) || path.StartsWithSegments(WorkflowPathPrefix, StringComparison.Ordinal);

    /// <summary>Addresses <paramref name="message"/> to <paramref name="instance"/>'s <paramref name="path"/> with its token.</summary>
    public static void Address(HttpRequestMessage message, AppInstance instance, string path)
    {
        message.RequestUri = new Uri($"http://{instance.Address}{path}");
        message.Headers.Remove(TokenHeader);
        message.Headers.TryAddWithoutValidation(TokenHeader, instance.InternalToken);
    }

    /// <summary>True when the answer came from <paramref name="instance"/>'s registration, not whatever holds its port now.</summary>
    public static bool IsAnsweredBy(HttpResponseMessage response, AppInstance instance) =>
        response.Headers.TryGetValues(RegistrationHeader, out var answeredBy) && answeredBy.FirstOrDefault() == instance.RegistrationId;

    /// <summary>
    /// The callee side of every internal route: stamps the answer with this registration and checks the caller's token.
    /// False when the token is wrong (the caller is answered nothing else).
    /// </summary>
    public static bool Admit(HttpContext context, NameRegistration registration)
    {
        context.Response.Headers[RegistrationHeader] = registration.Instance?.RegistrationId ?? "";
        return registration.IsInternalToken(context.Request.Headers[TokenHeader].FirstOrDefault());
    }
}
