using System.Collections.Concurrent;
using Grpc.Core;
using Orders.Infrastructure;
using Orders.Models;
using Orders.Workflows;

namespace Orders.Tests.Apis;

/// <summary>
/// The workflow runtime as the API sees it through <c>DaprWorkflowClient</c>: instances by order id, a schedule of a
/// running instance refused with gRPC <c>AlreadyExists</c>, and failures thrown as the SDK throws them
/// (<see cref="RpcException"/>, since the client talks gRPC to the sidecar). Failures are scripted per order id.
/// </summary>
internal sealed class FakeOrderWorkflowClient : IOrderWorkflowClient
{
    private readonly ConcurrentDictionary<string, OrderWorkflowInput> _instances = new(StringComparer.Ordinal);

    /// <summary>Every schedule the runtime accepted, in order.</summary>
    public ConcurrentQueue<OrderWorkflowInput> Started { get; } = new();

    public ConcurrentQueue<(string OrderId, ApprovalDecision Decision)> Approvals { get; } = new();

    public ConcurrentDictionary<string, string> Failures { get; } = new();

    /// <summary>Order ids whose start fails as an unreachable sidecar fails it.</summary>
    public ConcurrentDictionary<string, bool> FailStartFor { get; } = new();

    /// <summary>Runs after the runtime accepted a start, before the answer reaches the caller (with the caller's token).</summary>
    public ConcurrentDictionary<string, Func<CancellationToken, Task>> AfterAccepted { get; } = new();

    /// <summary>An instance that exists without this API having started it (a start whose request died afterwards).</summary>
    public void AddInstance(OrderWorkflowInput input) => _instances[input.OrderId] = input;

    public Task<OrderWorkflowInput?> FindAsync(string orderId, CancellationToken cancellationToken)
    {
        ThrowIfUnavailable(orderId);
        return Task.FromResult(_instances.TryGetValue(orderId, out var input) ? input : null);
    }

    public async Task ScheduleAsync(OrderWorkflowInput input, CancellationToken cancellationToken)
    {
        ThrowIfUnavailable(input.OrderId);
        if (!_instances.TryAdd(input.OrderId, input))
        {
            throw new RpcException(new Status(StatusCode.AlreadyExists, $"an active workflow with ID '{input.OrderId}' already exists"));
        }

        Started.Enqueue(input);
        if (AfterAccepted.TryGetValue(input.OrderId, out var after))
        {
            await after(cancellationToken);
        }
    }

    public Task RaiseApprovalAsync(string orderId, ApprovalDecision decision, CancellationToken cancellationToken)
    {
        Approvals.Enqueue((orderId, decision));
        return Task.CompletedTask;
    }

    public Task<string?> GetFailureAsync(string orderId, CancellationToken cancellationToken) =>
        Task.FromResult(Failures.TryGetValue(orderId, out var reason) ? reason : null);

    private void ThrowIfUnavailable(string orderId)
    {
        if (FailStartFor.ContainsKey(orderId))
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "Injected: the workflow runtime could not be reached."));
        }
    }
}
