using System.Globalization;
using Google.Protobuf;
using Sidecar.Locks;
using Proto = Dapr.Client.Autogen.Grpc.v1;

namespace Sidecar.Api.Http;

/// <summary>
/// The distributed lock API (alpha) as daprd serves it: <c>POST /v1.0-alpha1/lock/{storeName}</c> with
/// <c>{"resourceId","lockOwner","expiryInSeconds"}</c> answers <c>{"success":true|false}</c>, and
/// <c>POST /v1.0-alpha1/unlock/{storeName}</c> with <c>{"resourceId","lockOwner"}</c> answers <c>{"status":n}</c> (0
/// SUCCESS, 1 LOCK_DOES_NOT_EXIST, 2 LOCK_BELONGS_TO_OTHERS, 3 INTERNAL_ERROR, as a number). The body is read as the
/// proto message in protojson's way (camelCase or proto names, unknown fields ignored, an empty body is an empty
/// request); an unreadable one is ERR_MALFORMED_REQUEST.
/// </summary>
// dapr/dapr pkg/api/http/lock.go, pkg/api/http/universal.go UniversalHTTPHandler
internal static partial class DaprHttpApi
{
    private static readonly JsonParser LockJsonParser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    static partial void MapLock(WebApplication app)
    {
        var alpha = app.MapGroup("/v1.0-alpha1").WithDaprErrors();
        alpha.MapPost("/lock/{storeName}", TryLock);
        alpha.MapPost("/unlock/{storeName}", Unlock);
    }

    private static async Task<IResult> TryLock(string storeName, HttpRequest request, ILockApi locks, CancellationToken cancellationToken)
    {
        var body = await ReadLockBodyAsync<Proto.TryLockRequest>(request, cancellationToken);
        var success = await locks.TryLockAsync(storeName, body.ResourceId, body.LockOwner, body.ExpiryInSeconds, cancellationToken);
        return TypedResults.Text(success ? """{"success":true}""" : """{"success":false}""", "application/json");
    }

    private static async Task<IResult> Unlock(string storeName, HttpRequest request, ILockApi locks, CancellationToken cancellationToken)
    {
        var body = await ReadLockBodyAsync<Proto.UnlockRequest>(request, cancellationToken);
        var status = await locks.UnlockAsync(storeName, body.ResourceId, body.LockOwner, cancellationToken);
        return TypedResults.Text(
            string.Create(CultureInfo.InvariantCulture, $$"""{"status":{{(int)status}}}"""), "application/json");
    }

    private static async Task<T> ReadLockBodyAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : IMessage<T>, new()
    {
        using var reader = new StreamReader(request.Body);
        var json = await reader.ReadToEndAsync(cancellationToken);
        if (json.Length == 0)
        {
            return new T();
        }

        try
        {
            return LockJsonParser.Parse<T>(json);
        }
        catch (Exception ex) when (ex is InvalidProtocolBufferException or InvalidJsonException)
        {
            throw LockErrors.MalformedBody(ex.Message).ToException();
        }
    }
}
