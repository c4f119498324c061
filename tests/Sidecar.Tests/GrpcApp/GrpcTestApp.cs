using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Channels;
using Dapr.AppCallback.Autogen.Grpc.v1;
using Dapr.Client.Autogen.Grpc.v1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using GrpcHeaders = Grpc.Core.Metadata;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sidecar.Tests.GrpcApp.Greet;

namespace Sidecar.Tests.GrpcApp;

/// <summary>
/// A gRPC app as Dapr's gRPC SDKs build one: a plain Grpc.AspNetCore server (HTTP/2 only, on a free loopback port)
/// serving <c>AppCallback</c>, <c>AppCallbackAlpha</c> and <c>AppCallbackHealthCheck</c> from Dapr.Protos plus its own
/// Greeter service. What it receives is recorded in <see cref="State"/>, which also steers its answers.
/// </summary>
public sealed class GrpcTestApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GrpcTestApp(WebApplication app, int port, GrpcAppState state)
    {
        _app = app;
        Port = port;
        State = state;
    }

    public int Port { get; }

    public GrpcAppState State { get; }

    /// <summary>Starts the app; <paramref name="tls"/> serves it over TLS with a fresh self-signed certificate (grpcs).</summary>
    public static async Task<GrpcTestApp> StartAsync(GrpcAppState? state = null, bool tls = false)
    {
        state ??= new GrpcAppState();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0, o =>
        {
            o.Protocols = HttpProtocols.Http2;
            if (tls)
            {
                o.UseHttps(SelfSignedCertificate());
            }
        }));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(state);
        var app = builder.Build();
        app.MapGrpcService<AppCallbackService>();
        app.MapGrpcService<AppCallbackAlphaService>();
        app.MapGrpcService<HealthCheckService>();
        app.MapGrpcService<GreeterService>();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new GrpcTestApp(app, new Uri(address).Port, state);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    internal static X509Certificate2 SelfSignedCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }
}

/// <summary>What the test gRPC app received, and how it answers.</summary>
public sealed class GrpcAppState
{
    public ConcurrentQueue<(InvokeRequest Request, GrpcHeaders Headers)> Invocations { get; } = new();

    public Channel<TopicEventRequest> Events { get; } = Channel.CreateUnbounded<TopicEventRequest>();

    public Channel<TopicEventBulkRequest> BulkEvents { get; } = Channel.CreateUnbounded<TopicEventBulkRequest>();

    public Channel<JobEventRequest> Jobs { get; } = Channel.CreateUnbounded<JobEventRequest>();

    public List<TopicSubscription> Subscriptions { get; } = [];

    /// <summary>The status for each event, in order; SUCCESS once they run out.</summary>
    public ConcurrentQueue<TopicEventResponse.Types.TopicEventResponseStatus> TopicAnswers { get; } = new();

    public volatile bool Healthy = true;

    public int HealthChecks;

    /// <summary>When set, OnTopicEvent and OnBulkTopicEventAlpha1 (after recording the event) and SayHello fail with this code.</summary>
    public StatusCode? FailWith { get; set; }

    /// <summary>Every SayHello, and every event call while <see cref="FailWith"/> is set, counted.</summary>
    public int FailableCalls;

    /// <summary>OnInvoke of method <c>wait</c> holds until this is set, counted in <see cref="InvokesInside"/> meanwhile.</summary>
    public TaskCompletionSource InvokeGate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int InvokesInside;

    public int MostInvokesInside;

    /// <summary>The size of OnInvoke <c>big</c>'s answer.</summary>
    public int BigAnswerBytes { get; set; } = 2 << 20;

    internal async Task<InvokeResponse> WaitAtGateAsync()
    {
        var inside = Interlocked.Increment(ref InvokesInside);
        for (var most = Volatile.Read(ref MostInvokesInside); inside > most; most = Volatile.Read(ref MostInvokesInside))
        {
            Interlocked.CompareExchange(ref MostInvokesInside, inside, most);
        }

        await InvokeGate.Task;
        Interlocked.Decrement(ref InvokesInside);
        return new InvokeResponse { Data = new Any { Value = Google.Protobuf.ByteString.CopyFromUtf8("done") } };
    }

    internal void FailIfAsked()
    {
        Interlocked.Increment(ref FailableCalls);
        if (FailWith is { } code)
        {
            throw new RpcException(new Status(code, "the test app fails this call"));
        }
    }
}

internal sealed class AppCallbackService(GrpcAppState state) : AppCallback.AppCallbackBase
{
    public override async Task<InvokeResponse> OnInvoke(InvokeRequest request, ServerCallContext context)
    {
        state.Invocations.Enqueue((request, context.RequestHeaders));
        await context.WriteResponseHeadersAsync(new GrpcHeaders { { "x-app-answer", "yes" } });
        return request.Method switch
        {
            "wait" => await state.WaitAtGateAsync(),
            "big" => new InvokeResponse { Data = new Any { Value = Google.Protobuf.ByteString.CopyFrom(new byte[state.BigAnswerBytes]) } },
            "hello" => new InvokeResponse { Data = Any.Pack(new StringValue { Value = "hello " + request.Data.Unpack<StringValue>().Value }) },
            "missing" => throw new RpcException(new Status(StatusCode.NotFound, "no such order")),
            _ => new InvokeResponse { Data = new Any { Value = request.Data.Value }, ContentType = "text/plain" },
        };
    }

    public override Task<ListTopicSubscriptionsResponse> ListTopicSubscriptions(Empty request, ServerCallContext context) =>
        Task.FromResult(new ListTopicSubscriptionsResponse { Subscriptions = { state.Subscriptions } });

    public override async Task<TopicEventResponse> OnTopicEvent(TopicEventRequest request, ServerCallContext context)
    {
        await state.Events.Writer.WriteAsync(request, context.CancellationToken);
        if (state.FailWith is not null)
        {
            state.FailIfAsked();
        }

        return new TopicEventResponse
        {
            Status = state.TopicAnswers.TryDequeue(out var status) ? status : TopicEventResponse.Types.TopicEventResponseStatus.Success,
        };
    }
}

/// <summary>Only the Alpha1 bulk method, as apps built on older SDKs serve it: the stable name answers Unimplemented.</summary>
internal sealed class AppCallbackAlphaService(GrpcAppState state) : AppCallbackAlpha.AppCallbackAlphaBase
{
    public override async Task<JobEventResponse> OnJobEventAlpha1(JobEventRequest request, ServerCallContext context)
    {
        await state.Jobs.Writer.WriteAsync(request, context.CancellationToken);
        return new JobEventResponse();
    }

    [Obsolete("Dapr.Protos marks the Alpha1 name obsolete; older SDKs' apps still serve only it, which is what this app stands for.")]
    public override async Task<TopicEventBulkResponse> OnBulkTopicEventAlpha1(TopicEventBulkRequest request, ServerCallContext context)
    {
        await state.BulkEvents.Writer.WriteAsync(request, context.CancellationToken);
        if (state.FailWith is not null)
        {
            state.FailIfAsked();
        }

        return new TopicEventBulkResponse
        {
            Statuses =
            {
                request.Entries.Select(e => new TopicEventBulkResponseEntry
                {
                    EntryId = e.EntryId,
                    Status = TopicEventResponse.Types.TopicEventResponseStatus.Success,
                }),
            },
        };
    }
}

internal sealed class HealthCheckService(GrpcAppState state) : AppCallbackHealthCheck.AppCallbackHealthCheckBase
{
    public override Task<HealthCheckResponse> HealthCheck(Empty request, ServerCallContext context)
    {
        Interlocked.Increment(ref state.HealthChecks);
        return state.Healthy
            ? Task.FromResult(new HealthCheckResponse())
            : throw new RpcException(new Status(StatusCode.Unavailable, "not ready"));
    }
}

internal sealed class GreeterService(GrpcAppState state) : Greeter.GreeterBase
{
    public override Task<HelloReply> SayHello(HelloRequest request, ServerCallContext context)
    {
        state.FailIfAsked();
        return Task.FromResult(new HelloReply { Message = "Hello " + request.Name + new string('x', request.Pad), CallerToken = context.RequestHeaders.GetValue("dapr-api-token") ?? "" });
    }

    public override async Task SayHelloStream(HelloRequest request, IServerStreamWriter<HelloReply> responseStream, ServerCallContext context)
    {
        for (var i = 1; i <= 3; i++)
        {
            await responseStream.WriteAsync(new HelloReply { Message = $"Hello {request.Name} #{i}" });
        }
    }
}
