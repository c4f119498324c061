using System.Text.Json.Serialization;
using Sidecar.Metadata;

namespace Sidecar.Api.Http;

/// <summary>
/// <c>GET /v1.0/metadata</c> in daprd's JSON shape, <c>PUT /v1.0/metadata/{key}</c> (extended attributes) and
/// <c>POST /v1.0/shutdown</c>.
/// </summary>
internal static partial class DaprHttpApi
{
    static partial void MapMetadata(RouteGroupBuilder api)
    {
        api.MapGet("/metadata", GetMetadata);
        api.MapPut("/metadata/{key}", PutMetadata);
        // Lifecycle sits with metadata, as gRPC Shutdown does in DaprGrpcService.Metadata.cs.
        api.MapPost("/shutdown", Shutdown);
    }

    /// <summary>Answers 204 first, then stops the sidecar, as daprd does.</summary>
    private static IResult Shutdown(HttpContext context, IHostApplicationLifetime lifetime)
    {
        context.Response.OnCompleted(() =>
        {
            lifetime.StopApplication();
            return Task.CompletedTask;
        });
        return TypedResults.NoContent();
    }

    // Shaped as daprd's metadataResponse (dapr/dapr pkg/api/http/metadata.go): empty lists and zero numbers are left
    // out as its omitempty/omitzero tags leave them out; actorRuntime is always there.
    private static IResult GetMetadata(IMetadataApi metadata)
    {
        var snapshot = metadata.Get();
        var app = snapshot.AppConnection;
        var body = new MetadataResponse(
            snapshot.Id,
            snapshot.RuntimeVersion,
            NullIfEmpty(snapshot.EnabledFeatures),
            NullIfEmpty([.. snapshot.Components.Select(c => new MetadataComponent(c.Name, c.Type, c.Version, NullIfEmpty(c.Capabilities)))]),
            NullIfEmpty([.. snapshot.Subscriptions.Select(s => new MetadataSubscription(
                s.PubsubName, s.Topic, s.Metadata.Count == 0 ? null : s.Metadata,
                NullIfEmpty([.. s.Rules.Select(r => new MetadataRule(NullIfEmpty(r.Match), NullIfEmpty(r.Path)))]), s.DeadLetterTopic, s.Type))]),
            snapshot.Extended.Count == 0 ? null : snapshot.Extended,
            NullIfEmpty([.. snapshot.HttpEndpoints.Select(e => new MetadataHttpEndpoint(e))]),
            new MetadataAppConnection(app.Port, app.Protocol, app.ChannelAddress, app.MaxConcurrency,
                app.Health is { } h ? new MetadataAppHealth(h.HealthCheckPath, h.ProbeInterval, h.ProbeTimeout, h.Threshold) : null),
            new MetadataActorRuntime(snapshot.ActorRuntime.Status, snapshot.ActorRuntime.HostReady, NullIfEmpty(snapshot.ActorRuntime.Placement)),
            snapshot.ConnectedWorkflowWorkers > 0 ? new MetadataWorkflows(snapshot.ConnectedWorkflowWorkers) : null);
        return TypedResults.Json(body, MetadataJsonContext.Default.MetadataResponse);
    }

    private static IReadOnlyList<T>? NullIfEmpty<T>(IReadOnlyList<T> items) => items.Count == 0 ? null : items;

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;

    private static async Task<IResult> PutMetadata(string key, HttpRequest request, IMetadataApi metadata)
    {
        using var reader = new StreamReader(request.Body);
        metadata.Set(key, await reader.ReadToEndAsync(request.HttpContext.RequestAborted));
        return TypedResults.NoContent();
    }
}

internal sealed record MetadataResponse(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("runtimeVersion")] string RuntimeVersion,
    [property: JsonPropertyName("enabledFeatures")] IReadOnlyList<string>? EnabledFeatures,
    [property: JsonPropertyName("components")] IReadOnlyList<MetadataComponent>? Components,
    [property: JsonPropertyName("subscriptions")] IReadOnlyList<MetadataSubscription>? Subscriptions,
    [property: JsonPropertyName("extended")] IReadOnlyDictionary<string, string>? Extended,
    [property: JsonPropertyName("httpEndpoints")] IReadOnlyList<MetadataHttpEndpoint>? HttpEndpoints,
    [property: JsonPropertyName("appConnectionProperties")] MetadataAppConnection AppConnectionProperties,
    [property: JsonPropertyName("actorRuntime")] MetadataActorRuntime ActorRuntime,
    [property: JsonPropertyName("workflows")] MetadataWorkflows? Workflows);

internal sealed record MetadataComponent(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("capabilities")] IReadOnlyList<string>? Capabilities);

internal sealed record MetadataSubscription(
    [property: JsonPropertyName("pubsubname")] string PubsubName,
    [property: JsonPropertyName("topic")] string Topic,
    [property: JsonPropertyName("metadata")] IReadOnlyDictionary<string, string>? Metadata,
    [property: JsonPropertyName("rules")] IReadOnlyList<MetadataRule>? Rules,
    [property: JsonPropertyName("deadLetterTopic")] string DeadLetterTopic,
    [property: JsonPropertyName("type")] string Type);

internal sealed record MetadataRule(
    [property: JsonPropertyName("match")] string? Match,
    [property: JsonPropertyName("path")] string? Path);

internal sealed record MetadataHttpEndpoint([property: JsonPropertyName("name")] string Name);

internal sealed record MetadataAppConnection(
    [property: JsonPropertyName("port")] int Port,
    [property: JsonPropertyName("protocol")] string Protocol,
    [property: JsonPropertyName("channelAddress")] string ChannelAddress,
    [property: JsonPropertyName("maxConcurrency")] int MaxConcurrency,
    [property: JsonPropertyName("health")] MetadataAppHealth? Health);

internal sealed record MetadataAppHealth(
    [property: JsonPropertyName("healthCheckPath")] string? HealthCheckPath,
    [property: JsonPropertyName("healthProbeInterval")] string HealthProbeInterval,
    [property: JsonPropertyName("healthProbeTimeout")] string HealthProbeTimeout,
    [property: JsonPropertyName("healthThreshold")] int HealthThreshold);

internal sealed record MetadataActorRuntime(
    [property: JsonPropertyName("runtimeStatus")] string RuntimeStatus,
    [property: JsonPropertyName("hostReady"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] bool HostReady,
    [property: JsonPropertyName("placement")] string? Placement);

internal sealed record MetadataWorkflows([property: JsonPropertyName("connectedWorkers")] int ConnectedWorkers);

// WhenWritingDefault is Go's omitempty for these fields: nulls (empty lists) and zero numbers are left out.
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault)]
[JsonSerializable(typeof(MetadataResponse))]
internal sealed partial class MetadataJsonContext : JsonSerializerContext;
