using System.Collections.Concurrent;
using Orders.Infrastructure;
using Orders.Models;
using Orders.Workflows;

namespace Orders.Tests.Apis;

/// <summary>Records started workflows and raised approvals per order id; failures are scripted per order id.</summary>
internal sealed class FakeOrderWorkflowClient : IOrderWorkflowClient
{
    public ConcurrentQueue<OrderWorkflowInput> Started { get; } = new();

    public ConcurrentQueue<(string OrderId, ApprovalDecision Decision)> Approvals { get; } = new();

    public ConcurrentDictionary<string, string> Failures { get; } = new();

    /// <summary>Order ids whose start fails as an unreachable sidecar would.</summary>
    public ConcurrentDictionary<string, bool> FailStartFor { get; } = new();

    public Task StartAsync(OrderWorkflowInput input, CancellationToken cancellationToken)
    {
        if (FailStartFor.ContainsKey(input.OrderId))
        {
            throw new Dapr.DaprException("Injected: the workflow runtime could not be reached.");
        }

        Started.Enqueue(input);
        return Task.CompletedTask;
    }

    public Task RaiseApprovalAsync(string orderId, ApprovalDecision decision, CancellationToken cancellationToken)
    {
        Approvals.Enqueue((orderId, decision));
        return Task.CompletedTask;
    }

    public Task<string?> GetFailureAsync(string orderId, CancellationToken cancellationToken) =>
        Task.FromResult(Failures.TryGetValue(orderId, out var reason) ? reason : null);
}
