using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Sidecar.AppChannel;
using Sidecar.AppChannel.GrpcApp;
using Sidecar.AppChannel.Resiliency;
using Sidecar.Components;
using Sidecar.Components.Bindings;

namespace Sidecar.Bindings;

/// <summary>
/// Reads the input bindings once the app port answers, as daprd: a binding whose <c>direction</c> names <c>input</c>
/// is read at once; any other is read only when the app answers <c>OPTIONS /{route}</c> with 2xx or 405. Each event is
/// <c>POST /{route}</c> with the data as body (<c>application/json</c>) and the metadata as headers, under the
/// binding's inbound resiliency policy; a 2xx answer takes it, anything else is logged as an error. A gRPC app is asked
/// <c>ListInputBindings</c> once and gets <c>OnBindingEvent</c> (see the <c>.Grpc.cs</c> part).
/// </summary>
// dapr/dapr pkg/runtime/processor/binding/send.go StartReadingFromBindings, isAppSubscribedToBinding, sendBindingEventToApp
internal sealed partial class InputBindingDelivery(
    IBindingRegistry bindings, IAppChannel channel, AppCallbackClients grpcApp, IBindingsApi outputs, IResiliencyPolicies policies,
    ILogger<InputBindingDelivery> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (bindings.InputBindings.Count == 0)
        {
            return;
        }

        if (!channel.IsConfigured)
        {
            foreach (var input in bindings.InputBindings)
            {
                LogNoAppPort(input.Name);
            }

            return;
        }

        try
        {
            await channel.WaitForAppPortAsync(stoppingToken);
            foreach (var input in bindings.InputBindings)
            {
                var subscribed = input.ExplicitInput
                    || (grpcApp.IsConfigured ? await IsGrpcAppSubscribedAsync(input, stoppingToken) : await IsAppSubscribedAsync(input, stoppingToken));
                if (!subscribed)
                {
                    LogNotSubscribed(input.Name);
                    continue;
                }

                await input.Binding.StartAsync(
                    (e, ct) => grpcApp.IsConfigured ? DeliverOverGrpcAsync(input, e, ct) : DeliverAsync(input, e, ct), stoppingToken);
                LogReading(input.Name, input.Route);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping before the app came up.
        }
    }

    private async Task<bool> IsAppSubscribedAsync(InputBindingEntry input, CancellationToken stoppingToken)
    {
        try
        {
            using var probe = new HttpRequestMessage(HttpMethod.Options, channel.UriFor(input.Route));
            using var response = await channel.SendAsync(probe, HttpCompletionOption.ResponseHeadersRead, stoppingToken);
            var code = (int)response.StatusCode;
            return code / 100 == 2 || response.StatusCode == HttpStatusCode.MethodNotAllowed;
        }
        catch (HttpRequestException ex)
        {
            LogProbeFailed(input.Route, input.Name, ex.Message);
            return false;
        }
    }

    /// <summary>One event to the app; the app's answer body goes back to the binding (no binding here uses it).</summary>
    private async Task DeliverAsync(InputBindingEntry input, BindingEvent bindingEvent, CancellationToken cancellationToken)
    {
        try
        {
            var runner = policies.RunnerForComponentInbound(input.Name, ComponentKind.Binding);
            var (code, body) = await runner.RunAsync(
                ct => PostAsync(input.Route, bindingEvent, ct),
                result => result.Code == 200 ? AttemptVerdict.Success : AttemptVerdict.FailureWithStatus(result.Code),
                null,
                cancellationToken);
            if (code / 100 != 2)
            {
                LogAppRefused(input.Name, code, Encoding.UTF8.GetString(body));
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogDeliveryFailed(input.Name, ex.Message);
        }
    }

    private async Task<(int Code, byte[] Body)> PostAsync(string route, BindingEvent bindingEvent, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, channel.UriFor(route))
        {
            Content = new ByteArrayContent(bindingEvent.Data),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        foreach (var (key, value) in bindingEvent.Metadata)
        {
            request.Headers.TryAddWithoutValidation(key, value);
        }

        using var response = await channel.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        return ((int)response.StatusCode, await response.Content.ReadAsByteArrayAsync(cancellationToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reading input binding {Name}, delivered to /{Route}")]
    private partial void LogReading(string name, string route);

    [LoggerMessage(Level = LogLevel.Information, Message = "app has not subscribed to binding {Name}.")]
    private partial void LogNotSubscribed(string name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Input binding {Name} is not read: the app has no port to deliver to")]
    private partial void LogNoAppPort(string name);

    [LoggerMessage(Level = LogLevel.Error, Message = "could not invoke OPTIONS method on input binding subscription endpoint \"{Route}\" of binding {Name}: {Error}")]
    private partial void LogProbeFailed(string route, string name, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Binding {Name}: fails to send binding event to http app channel, status code: {Code} body: {Body}")]
    private partial void LogAppRefused(string name, int code, string body);

    [LoggerMessage(Level = LogLevel.Error, Message = "Binding {Name}: error invoking app: {Error}")]
    private partial void LogDeliveryFailed(string name, string error);
}
