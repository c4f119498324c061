using Orders.Workflows;

namespace Orders.Infrastructure;

/// <summary>
/// The one place an order's workflow is started. Idempotent on the order id: the instance id is the order id, and an
/// instance with that id means the order was started (whatever this call's input), so a repeated or concurrent request
/// never starts a second one, and a start whose answer was lost counts as done. It runs under its own deadline, not
/// the client's: a client that hangs up after the runtime accepted the start does not turn it into a failure.
/// </summary>
public sealed class OrderStarter(IOrderWorkflowClient workflows)
{
    /// <summary>How long a start may take before the request answers 503.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>Starts the order's workflow unless one exists; returns the input of the instance that runs the order.</summary>
    public async Task<OrderWorkflowInput> EnsureStartedAsync(OrderWorkflowInput input)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        if (await workflows.FindAsync(input.OrderId, deadline.Token) is { } existing)
        {
            return existing;
        }

        try
        {
            await workflows.ScheduleAsync(input, deadline.Token);
            return input;
        }
        catch (Exception)
        {
            // A concurrent request scheduled it first (AlreadyExists), or the runtime took the start and its answer
            // was lost: either way an instance now exists and the order is started. Otherwise the failure stands.
            if (await workflows.FindAsync(input.OrderId, deadline.Token) is { } raced)
            {
                return raced;
            }

            throw;
        }
    }
}
