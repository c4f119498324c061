using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Sidecar.Tests.Infrastructure;

namespace Sidecar.Tests.Jobs;

/// <summary>
/// A test app that serves <c>POST /job/{name}</c> as a Dapr app does, records each delivery, and answers the status the
/// test chose for each attempt of a job (200 once the list runs out).
/// </summary>
internal sealed class JobApp : IAsyncDisposable
{
    private readonly TestApp _app;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<int>> _answers = new(StringComparer.Ordinal);

    private JobApp(TestApp app, Inbox<JobDelivery> inbox)
    {
        _app = app;
        Deliveries = inbox;
    }

    public int Port => _app.Port;

    public Inbox<JobDelivery> Deliveries { get; }

    public static async Task<JobApp> StartAsync()
    {
        var inbox = new Inbox<JobDelivery>();
        JobApp? self = null;
        var app = await TestApp.StartAsync(a => a.MapPost("/job/{name}", async (string name, HttpRequest request) =>
        {
            var body = await new StreamReader(request.Body).ReadToEndAsync();
            inbox.Add(new JobDelivery(name, body, request.ContentType ?? ""));
            var status = self!._answers.TryGetValue(name, out var answers) && answers.TryDequeue(out var next) ? next : 200;
            return Results.StatusCode(status);
        }), useCloudEvents: false);
        self = new JobApp(app, inbox);
        return self;
    }

    /// <summary>The app answers <paramref name="statuses"/> to the next deliveries of job <paramref name="name"/>.</summary>
    public void Answer(string name, params int[] statuses) => _answers[name] = new ConcurrentQueue<int>(statuses);

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}

/// <summary>One delivery the app received.</summary>
internal sealed record JobDelivery(string Name, string Body, string ContentType);
