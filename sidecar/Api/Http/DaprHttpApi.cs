namespace Sidecar.Api.Http;

/// <summary>
/// The Dapr HTTP API (<c>/v1.0/...</c>). One file per building block (<c>StateEndpoints.cs</c>, ...) implements its
/// <c>Map...</c> partial method; errors are written in Dapr's shape <c>{"errorCode","message"}</c>.
/// </summary>
internal static partial class DaprHttpApi
{
    public static WebApplication MapDaprHttpApi(this WebApplication app)
    {
        var api = app.MapGroup("/v1.0");
        MapHealth(api);
        MapMetadata(api);
        MapState(api);
        MapPublish(api);
        MapSecrets(api);
        MapBindings(api);
        MapConfiguration(app);
        MapJobs(app);
        MapLock(app);
        MapInvoke(app, api);
        MapWorkflow(app);
        MapWorkflowPeers(app);
        return app;
    }

    static partial void MapHealth(RouteGroupBuilder api);

    static partial void MapMetadata(RouteGroupBuilder api);

    static partial void MapState(RouteGroupBuilder api);

    static partial void MapPublish(RouteGroupBuilder api);

    static partial void MapSecrets(RouteGroupBuilder api);

    static partial void MapBindings(RouteGroupBuilder api);
    /// <summary>Configuration is served under <c>/v1.0</c> and <c>/v1.0-alpha1</c>.</summary>
    static partial void MapConfiguration(WebApplication app);

    /// <summary>Jobs are served under <c>/v1.0-alpha1</c> and <c>/v1.0</c>.</summary>
    static partial void MapJobs(WebApplication app);

    /// <summary>The distributed lock API is served under <c>/v1.0-alpha1</c> only.</summary>
    static partial void MapLock(WebApplication app);

    /// <summary>Workflows are served under three API versions, so they map on the app rather than the <c>/v1.0</c> group.</summary>
    static partial void MapWorkflow(WebApplication app);

    /// <summary>The internal routes other sidecars' workflow engines call (cross-app workflow work).</summary>
    static partial void MapWorkflowPeers(WebApplication app);

    /// <summary>Invocation also owns requests routed by the <c>dapr-app-id</c> header, outside <c>/v1.0</c>.</summary>
    static partial void MapInvoke(WebApplication app, RouteGroupBuilder api);
}
