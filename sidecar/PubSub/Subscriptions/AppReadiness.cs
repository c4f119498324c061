using Sidecar.Hosting;

namespace Sidecar.PubSub.Subscriptions;

/// <summary>
/// daprd answers <c>/v1.0/healthz</c> only once its app channel is up: here, once the app port answered and the app's
/// subscriptions are in place (at once for an app without a port).
/// </summary>
internal sealed class AppReadiness(ISubscriptionRegistry subscriptions) : IReadinessCheck
{
    public bool IsReady => subscriptions.Loaded.IsCompletedSuccessfully;
}
