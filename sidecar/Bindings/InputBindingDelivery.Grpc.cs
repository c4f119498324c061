using System.Text.Json;
using Dapr.AppCallback.Autogen.Grpc.v1;
using Google.Protobuf;
using Grpc.Core;
using Sidecar.AppChannel.Resiliency;
using Sidecar.Components;
using Sidecar.Components.Bindings;

namespace Sidecar.Bindings;

/// <summary>
/// Delivery to a gRPC app: <c>ListInputBindings</c> once (a failure counts as an empty list, as daprd), then
/// <c>OnBindingEvent</c> per event under the inbound policy. An answer's <c>to</c> sends its <c>data</c> (re-encoded
/// as JSON, <c>null</c> when it is not JSON) to those output bindings with operation <c>create</c>, one after another or,
/// with <c>PARALLEL</c>, all at once.
/// </summary>
// dapr/dapr pkg/runtime/processor/binding/send.go getSubscribedBindingsGRPC, sendBindingEventToApp, onAppResponse
internal sealed partial class InputBindingDelivery
{
    private IReadOnlyList<string>? _grpcSubscribed;

    private async Task<bool> IsGrpcAppSubscribedAsync(InputBindingEntry input, CancellationToken stoppingToken)
    {
        if (_grpcSubscribed is null)
        {
            try
            {
                var listed = await grpcApp.AppCallback.ListInputBindingsAsync(new CallOptions(cancellationToken: stoppingToken));
                _grpcSubscribed = [.. listed.Bindings];
            }
            catch (RpcException ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogListFailed(ex.Status.StatusCode.ToString(), ex.Status.Detail);
                _grpcSubscribed = [];
            }
        }

        return _grpcSubscribed.Contains(input.Name, StringComparer.Ordinal);
    }

    private async Task DeliverOverGrpcAsync(InputBindingEntry input, BindingEvent bindingEvent, CancellationToken cancellationToken)
    {
        var request = new BindingEventRequest { Name = input.Name, Data = ByteString.CopyFrom(bindingEvent.Data) };
        request.Metadata.Add(bindingEvent.Metadata.ToDictionary(StringComparer.Ordinal));
        BindingEventResponse response;
        try
        {
            response = await policies.RunnerForComponentInbound(input.Name, ComponentKind.Binding).RunAsync(
                async ct => await grpcApp.AppCallback.OnBindingEventAsync(request, new CallOptions(cancellationToken: ct)),
                _ => AttemptVerdict.Success,
                null,
                cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogDeliveryFailed(input.Name, ex is RpcException rpc ? $"{rpc.Status.StatusCode}: {rpc.Status.Detail}" : ex.Message);
            return;
        }

        if (response.To.Count > 0)
        {
            await SendToOutputsAsync(input.Name, response, cancellationToken);
        }
    }

    private async Task SendToOutputsAsync(string from, BindingEventResponse response, CancellationToken cancellationToken)
    {
        var data = JsonData(response.Data);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        if (response.Concurrency == BindingEventResponse.Types.BindingEventConcurrency.Parallel)
        {
            await Task.WhenAll(response.To.Select(async to =>
            {
                var result = await outputs.InvokeAsync(to, new BindingRequest("create", data, metadata), cancellationToken);
                if (result.Error is { } error)
                {
                    LogAppResponseFailed(from, error.Message);
                }
            }));
            return;
        }

        foreach (var to in response.To)
        {
            var result = await outputs.InvokeAsync(to, new BindingRequest("create", data, metadata), cancellationToken);
            if (result.Error is { } error)
            {
                LogAppResponseFailed(from, error.Message);
                return;
            }
        }
    }

    /// <summary>The answer's data as daprd forwards it: decoded as JSON and encoded again; <c>null</c> when it is not JSON.</summary>
    private static byte[] JsonData(ByteString data)
    {
        if (data.IsEmpty)
        {
            return "null"u8.ToArray();
        }

        try
        {
            using var document = JsonDocument.Parse(data.Memory);
            return JsonSerializer.SerializeToUtf8Bytes(document.RootElement);
        }
        catch (JsonException)
        {
            return "null"u8.ToArray();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "ListInputBindings failed ({Status}: {Detail}); the app gets no input binding it did not declare with direction: input")]
    private partial void LogListFailed(string status, string detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "Binding {Name}: error executing app response: {Error}")]
    private partial void LogAppResponseFailed(string name, string error);
}
