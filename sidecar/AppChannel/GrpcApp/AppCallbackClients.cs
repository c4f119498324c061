using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Sidecar.Hosting;

namespace Sidecar.AppChannel.GrpcApp;

/// <summary>
/// The app's gRPC callback services over <c>{AppHost}:{AppPort}</c>, for an app whose protocol is <c>grpc</c> (HTTP/2
/// clear text) or <c>grpcs</c> (TLS, the app's certificate not verified, as daprd's <c>InsecureSkipVerify</c>). Every
/// call carries <c>dapr-api-token</c> when APP_API_TOKEN is set, as daprd's app channel does
/// (<c>pkg/channel/grpc/grpc_channel.go</c>). One per sidecar: all calls share one connection pool. Calls daprd makes
/// through its gRPC app channel (<see cref="ChannelCallback"/>, <see cref="ChannelAlpha"/>) also take an
/// <see cref="AppConcurrencyLimiter"/> slot and are bounded by <c>--max-body-size</c> both ways; the rest daprd sends on
/// the bare connection, and so does this.
/// </summary>
public sealed class AppCallbackClients : IDisposable
{
    private readonly SidecarOptions _options;
    private readonly SocketsHttpHandler? _handler;
    private readonly GrpcChannel? _channel;
    private readonly GrpcChannel? _bodyLimitedChannel;
    private readonly CallInvoker? _invoker;

    /// <summary>Opens no connection yet: the first call does. <paramref name="limiter"/> is the sidecar's shared one.</summary>
    public AppCallbackClients(SidecarOptions options, AppConcurrencyLimiter? limiter = null)
    {
        _options = options;
        if (options.AppPort is not { } port || !options.AppProtocolKind.IsGrpc())
        {
            return;
        }

        Address = new Uri($"{options.AppProtocolKind.Scheme()}://{options.AppHost}:{port}");
        _handler = CreateHandler(options.AppProtocolKind.UsesTls());

        // daprd lets the app answer its bare-connection calls without a size cap; callers bound time.
        _channel = GrpcChannel.ForAddress(Address, ChannelOptions(_handler, maxMessageSize: null));

        // daprd's channel calls pass grpc.MaxCallSendMsgSize and MaxCallRecvMsgSize of --max-body-size; grpc-dotnet sets
        // message limits per channel, so these go through a second channel over the same handler and connections.
        _bodyLimitedChannel = GrpcChannel.ForAddress(Address, ChannelOptions(
            _handler, options.MaxBodySize > 0 ? (int)Math.Min(options.MaxBodySize, int.MaxValue) : null));
        _invoker = WithAppToken(_channel.CreateCallInvoker());
        var channelInvoker = WithAppToken(_bodyLimitedChannel.CreateCallInvoker())
            .Intercept(new ConcurrencyLimitInterceptor(limiter ?? new AppConcurrencyLimiter(options)));
        AppCallback = new AppCallbackClient(_invoker);
        Alpha = new AppCallbackAlphaClient(_invoker);
        HealthCheck = new AppCallbackHealthCheckClient(_invoker);
        ChannelCallback = new AppCallbackClient(channelInvoker);
        ChannelAlpha = new AppCallbackAlphaClient(channelInvoker);
    }

    /// <summary>True when the app has a port and speaks gRPC (<c>grpc</c> or <c>grpcs</c>): only then are the clients usable.</summary>
    public bool IsConfigured => _channel is not null;

    /// <summary>The app's gRPC address, e.g. <c>http://127.0.0.1:5101</c>; null when <see cref="IsConfigured"/> is false.</summary>
    public Uri? Address { get; }

    /// <summary>
    /// The invoker every client below uses (token included): for calls to services the sidecar has no stub of, such as
    /// gRPC proxying of raw frames.
    /// </summary>
    public CallInvoker CallInvoker => _invoker ?? throw NotGrpc();

    /// <summary>
    /// <c>dapr.proto.runtime.v1.AppCallback</c> on the bare connection: ListTopicSubscriptions, OnTopicEvent,
    /// OnBulkTopicEvent, ListInputBindings, OnBindingEvent (daprd's pub/sub and binding code calls them without the channel).
    /// </summary>
    public AppCallbackClient AppCallback => field ?? throw NotGrpc();

    /// <summary>
    /// <c>AppCallback</c> through the app channel, for OnInvoke: limited by <c>--app-max-concurrency</c> and <c>--max-body-size</c>.
    /// </summary>
    public AppCallbackClient ChannelCallback => field ?? throw NotGrpc();

    /// <summary><c>AppCallbackAlpha</c> through the app channel, for OnJobEventAlpha1: limited as <see cref="ChannelCallback"/>.</summary>
    public AppCallbackAlphaClient ChannelAlpha => field ?? throw NotGrpc();

    /// <summary><c>AppCallbackAlpha</c> on the bare connection: OnBulkTopicEventAlpha1 (jobs go through <see cref="ChannelAlpha"/>).</summary>
    public AppCallbackAlphaClient Alpha => field ?? throw NotGrpc();

    /// <summary><c>AppCallbackHealthCheck</c>: HealthCheck.</summary>
    public AppCallbackHealthCheckClient HealthCheck => field ?? throw NotGrpc();

    private InvalidOperationException NotGrpc() => new(
        $"app '{_options.AppId}' is not a gRPC app (app protocol '{_options.AppProtocol}', app port " +
        $"{(_options.AppPort is { } p ? p.ToString(System.Globalization.CultureInfo.InvariantCulture) : "none")}): it has no gRPC callback clients");

    /// <summary>
    /// HTTP/2 to the app; several connections when streams run out (long-lived streams must not starve deliveries).
    /// With TLS the app's certificate is accepted unverified, as daprd does for an app on the same host.
    /// </summary>
    internal static SocketsHttpHandler CreateHandler(bool tls)
    {
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
        };
        if (tls)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
        }

        return handler;
    }

    private CallInvoker WithAppToken(CallInvoker invoker) =>
        string.IsNullOrEmpty(_options.AppApiToken)
            ? invoker
            : invoker.Intercept(metadata =>
            {
                metadata.Add(DaprHeaders.ApiToken, _options.AppApiToken);
                return metadata;
            });

    private static GrpcChannelOptions ChannelOptions(SocketsHttpHandler handler, int? maxMessageSize) => new()
    {
        HttpHandler = handler,
        DisposeHttpClient = false,
        MaxReceiveMessageSize = maxMessageSize,
        MaxSendMessageSize = maxMessageSize,
    };

    /// <inheritdoc />
    public void Dispose()
    {
        _channel?.Dispose();
        _bodyLimitedChannel?.Dispose();
        _handler?.Dispose();
    }
}
