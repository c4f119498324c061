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

    private static IResult GetMetadata(IMetadataApi metadata)
    {
        var snapshot = metadata.Get();
        var body = new MetadataResponse(
            snapshot.Id,
            snapshot.RuntimeVersion,
            [],
            [.. snapshot.Components.Select(c => new MetadataComponent(c.Name, c.Type, c.Version, c.Capabilities))],
            [.. snapshot.Subscriptions.Select(s => new MetadataSubscription(
                s.PubsubName, s.Topic, s.Metadata, [.. s.Rules.Select(r => new MetadataRule(r.Match, r.Path))], s.DeadLetterTopic, s.Type))],
            snapshot.Extended,
            snapshot.AppConnection is { } app ? new MetadataAppConnection(app.Port, app.Protocol, app.ChannelAddress) : null);
        return TypedResults.Json(body, MetadataJsonContext.Default.MetadataResponse);
    }

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
    [property: JsonPropertyName("enabledFeatures")] IReadOnlyList<string> EnabledFeatures,
    [property: JsonPropertyName("components")] IReadOnlyList<MetadataComponent> Components,
    [property: JsonPropertyName("subscriptions")] IReadOnlyList<MetadataSubscription> Subscriptions,
    [property: JsonPropertyName("extended")] IReadOnlyDictionary<string, string> Extended,
    [property: JsonPropertyName("appConnectionProperties"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    MetadataAppConnection? AppConnectionProperties);

internal sealed record MetadataComponent(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("capabilities")] IReadOnlyList<string> Capabilities);

internal sealed record MetadataSubscription(
    [property: JsonPropertyName("pubsubname")] string PubsubName,
    [property: JsonPropertyName("topic")] string Topic,
    [property: JsonPropertyName("metadata")] IReadOnlyDictionary<string, string> Metadata,
    [property: JsonPropertyName("rules")] IReadOnlyList<MetadataRule> Rules,
    [property: JsonPropertyName("deadLetterTopic")] string DeadLetterTopic,
    [property: JsonPropertyName("type")] string Type);

internal sealed record MetadataRule(
    [property: JsonPropertyName("match")] string Match,
    [property: JsonPropertyName("path")] string Path);

internal sealed record MetadataAppConnection(
    [property: JsonPropertyName("port")] int Port,
    [property: JsonPropertyName("protocol")] string Protocol,
    [property: JsonPropertyName("channelAddress")] string ChannelAddress);

[JsonSerializable(typeof(MetadataResponse))]
internal sealed partial class MetadataJsonContext : JsonSerializerContext;
