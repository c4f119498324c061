using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Sidecar.Jobs;
using Proto = Dapr.Client.Autogen.Grpc.v1;

namespace Sidecar.Api.Http;

/// <summary>
/// The jobs API under <c>/v1.0-alpha1</c> and <c>/v1.0</c>, as daprd serves it: <c>POST jobs/{name}</c> with
/// <c>{"schedule","dueTime","repeats","ttl","data","failurePolicy","overwrite"}</c> (snake_case names accepted too;
/// <c>data</c> any JSON, kept as a <c>google.protobuf.Value</c>) answers 204; <c>GET jobs/{name}</c> answers the job in
/// protojson; <c>DELETE jobs/{name}</c> answers 204.
/// </summary>
internal static partial class DaprHttpApi
{
    private static readonly string[] JobsApiVersions = ["v1.0-alpha1", "v1.0"];

    private static readonly JsonParser JobJsonParser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    private static readonly JsonFormatter JobJsonFormatter = new(JsonFormatter.Settings.Default.WithTypeRegistry(TypeRegistry.FromFiles(
        StructReflection.Descriptor, WrappersReflection.Descriptor, DurationReflection.Descriptor, TimestampReflection.Descriptor,
        EmptyReflection.Descriptor)));

    static partial void MapJobs(WebApplication app)
    {
        foreach (var version in JobsApiVersions)
        {
            var jobs = app.MapGroup($"/{version}/jobs").WithDaprErrors();
            jobs.MapPost("/{name}", ScheduleJob);
            jobs.MapGet("/{name}", GetJob);
            jobs.MapDelete("/{name}", DeleteJob);
        }
    }

    private static async Task<IResult> ScheduleJob(string name, HttpRequest request, IJobsApi jobs, CancellationToken cancellationToken)
    {
        var (job, overwrite) = await ReadJobAsync(request, cancellationToken);
        job.Name = name.Trim();
        await jobs.ScheduleAsync(job, overwrite, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> GetJob(string name, IJobsApi jobs, CancellationToken cancellationToken)
    {
        var job = await jobs.GetAsync(name, cancellationToken);
        string json;
        try
        {
            json = JobJsonFormatter.Format(job);
        }
        catch (InvalidOperationException)
        {
            // Data packed by a gRPC client in a type of its own, which protojson cannot name: the job without it.
            var withoutData = job.Clone();
            withoutData.Data = null;
            json = JobJsonFormatter.Format(withoutData);
        }

        return TypedResults.Text(json, "application/json");
    }

    private static async Task<IResult> DeleteJob(string name, IJobsApi jobs, CancellationToken cancellationToken)
    {
        await jobs.DeleteAsync(name, cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>The body as a job: <c>data</c> packed as a Value, <c>overwrite</c> apart, a name in the body refused.</summary>
    private static async Task<(Proto.Job Job, bool Overwrite)> ReadJobAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        JsonObject body;
        try
        {
            var node = request.ContentLength == 0 ? null : await JsonNode.ParseAsync(request.Body, cancellationToken: cancellationToken);
            body = node switch
            {
                null => [],
                JsonObject o => o,
                _ => throw JobsErrors.MalformedBody("the body must be a JSON object").ToException(),
            };
        }
        catch (JsonException ex)
        {
            throw JobsErrors.MalformedBody(ex.Message).ToException();
        }

        if (body["name"] is JsonValue named && named.ToString().Length > 0)
        {
            throw JobsErrors.NameInBody().ToException();
        }

        var overwrite = body["overwrite"] is JsonValue flag && flag.TryGetValue<bool>(out var set) && set;
        var data = body["data"];
        foreach (var field in new[] { "name", "overwrite", "data" })
        {
            body.Remove(field);
        }

        try
        {
            var job = JobJsonParser.Parse<Proto.Job>(body.ToJsonString());
            if (data is not null)
            {
                job.Data = Any.Pack(JobJsonParser.Parse<Value>(data.ToJsonString()));
            }

            return (job, overwrite);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw JobsErrors.MalformedBody(ex.Message).ToException();
        }
        catch (InvalidJsonException ex)
        {
            throw JobsErrors.MalformedBody(ex.Message).ToException();
        }
    }
}
