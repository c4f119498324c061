namespace Sidecar;

/// <summary>The HTTP header names of Dapr's wire contract, one definition for every layer that reads or writes them.</summary>
internal static class DaprHeaders
{
    /// <summary>The API token: callers send DAPR_API_TOKEN to the sidecar, the sidecar sends APP_API_TOKEN to its app.</summary>
    public const string ApiToken = "dapr-api-token";

    /// <summary>The target app of an invocation (any path), and the caller's id when the sidecar asks for subscriptions.</summary>
    public const string AppId = "dapr-app-id";

    /// <summary>Added to an invocation: the app that called.</summary>
    public const string CallerAppId = "dapr-caller-app-id";

    /// <summary>Added to an invocation: the app that is called.</summary>
    public const string CalleeAppId = "dapr-callee-app-id";
}
