using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Sidecar.AppChannel.GrpcApp;

/// <summary>
/// Takes an <see cref="AppConcurrencyLimiter"/> slot before each unary call made through it and holds it until the
/// app's answer or failure is in, as daprd's gRPC channel holds its <c>ch</c> slot around <c>OnInvoke</c> and the job
/// callback. A caller that gives up while waiting gets <c>Cancelled</c>, as a cancelled gRPC call does.
/// </summary>
// dapr/dapr pkg/channel/grpc/grpc_channel.go invokeMethodV1, sendJob (the g.ch semaphore)
internal sealed class ConcurrencyLimitInterceptor(AppConcurrencyLimiter limiter) : Interceptor
{
    /// <inheritdoc />
    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
    {
        var started = StartAsync(request, context, continuation);
        var headers = HeadersAsync(started);
        // A caller that only awaits the answer never looks at the headers: their failure is the answer's, seen there.
        _ = headers.ContinueWith(static t => _ = t.Exception, CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return new AsyncUnaryCall<TResponse>(
            ResponseAsync(started),
            headers,
            () => Started(started).GetStatus(),
            () => Started(started).GetTrailers(),
            () => _ = DisposeWhenStartedAsync(started));
    }

    private async Task<(IDisposable? Slot, AsyncUnaryCall<TResponse> Call)> StartAsync<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
        where TRequest : class
        where TResponse : class
    {
        IDisposable? slot;
        try
        {
            slot = await limiter.AcquireAsync(context.Options.CancellationToken);
        }
        catch (OperationCanceledException)
        {
            throw new RpcException(new Status(StatusCode.Cancelled, "the call was cancelled while it waited for a free slot (--app-max-concurrency)"));
        }

        try
        {
            return (slot, continuation(request, context));
        }
        catch
        {
            slot?.Dispose();
            throw;
        }
    }

    private static async Task<TResponse> ResponseAsync<TResponse>(Task<(IDisposable? Slot, AsyncUnaryCall<TResponse> Call)> started)
    {
        var (slot, call) = await started;
        try
        {
            return await call.ResponseAsync;
        }
        finally
        {
            slot?.Dispose();
        }
    }

    private static async Task<global::Grpc.Core.Metadata> HeadersAsync<TResponse>(Task<(IDisposable? Slot, AsyncUnaryCall<TResponse> Call)> started) =>
        await (await started).Call.ResponseHeadersAsync;

    private static AsyncUnaryCall<TResponse> Started<TResponse>(Task<(IDisposable? Slot, AsyncUnaryCall<TResponse> Call)> started) =>
        started.IsCompletedSuccessfully ? started.Result.Call : throw new InvalidOperationException("the call has not reached the app");

    private static async Task DisposeWhenStartedAsync<TResponse>(Task<(IDisposable? Slot, AsyncUnaryCall<TResponse> Call)> started)
    {
        try
        {
            var (slot, call) = await started;
            call.Dispose();
            slot?.Dispose();
        }
        catch (RpcException)
        {
            // It never started: there is nothing to give back.
        }
    }
}
