using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Sidecar.Hosting;

namespace Sidecar.AppChannel.GrpcApp;

/// <summary>
/// The app's gRPC callback services over one <see cref="GrpcChannel"/> to <c>{AppHost}:{AppPort}</c>, for an app whose
/// protocol is <c>grpc</c> (HTTP/2 clear text) or <c>grpcs</c> (TLS, the app's certificate not verified, as daprd's
/// <c>InsecureSkipVerify</c>). Every call carries <c>dapr-api-token</c> when APP_API_TOKEN is set, as daprd's app channel
/// does (<c>pkg/channel/grpc/grpc_channel.go</c>). One per sidecar: deliveries, invocations and health share its connections.
/// </summary>
public sealed class AppCallbackClients : IDisposable
{
    private readonly SidecarOptions _options;
    private readonly GrpcChannel? _channel;
    private readonly CallInvoker? _invoker;

    /// <summary>Opens no connection yet: the first call does.</summary>
    public AppCallbackClients(SidecarOptions options)
    {
        _options = options;
        if (options.AppPort is not { } port || !options.AppProtocolKind.IsGrpc())
        {
            return;
        }

        Address = new Uri($"{options.AppProtocolKind.Scheme()}://{options.AppHost}:{port}");
        _channel = GrpcChannel.ForAddress(Address, new GrpcChannelOptions
        {
            HttpHandler = CreateHandler(options.AppProtocolKind.UsesTls()),
            DisposeHttpClient = true,
            // daprd lets the app answer as much as it may be sent (--max-body-size, 4 MiB by default); callers bound time.
            MaxReceiveMessageSize = null,
            MaxSendMessageSize = null,
        });
        _invoker = string.IsNullOrEmpty(options.AppApiToken)
            ? _channel.CreateCallInvoker()
            : _channel.CreateCallInvoker().Intercept(metadata =>
            {
                metadata.Add(DaprHeaders.ApiToken, options.AppApiToken);
                return metadata;
            });
        AppCallback = new AppCallbackClient(_invoker);
        Alpha = new AppCallbackAlphaClient(_invoker);
        HealthCheck = new AppCallbackHealthCheckClient(_invoker);
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

    /// <summary><c>dapr.proto.runtime.v1.AppCallback</c>: OnInvoke, ListTopicSubscriptions, OnTopicEvent, ListInputBindings, OnBindingEvent.</summary>
    public AppCallbackClient AppCallback => field ?? throw NotGrpc();

    /// <summary><c>AppCallbackAlpha</c>: OnBulkTopicEventAlpha1, OnJobEventAlpha1 (Dapr.Protos 1.18.7 has no stable OnJobEvent).</summary>
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

    /// <inheritdoc />
    public void Dispose() => _channel?.Dispose();
}
