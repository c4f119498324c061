using Sidecar.Hosting;
using Proto = Dapr.Client.Autogen.Grpc.v1;

namespace Sidecar.Jobs;

/// <summary>The jobs building block, shared by the HTTP and gRPC surfaces.</summary>
internal interface IJobsApi
{
    /// <summary>Schedules <paramref name="job"/>; an existing job of that name is replaced only with <paramref name="overwrite"/>.</summary>
    Task ScheduleAsync(Proto.Job? job, bool overwrite, CancellationToken cancellationToken);

    /// <summary>The job as scheduled; a DaprError when there is none.</summary>
    Task<Proto.Job> GetAsync(string name, CancellationToken cancellationToken);

    /// <summary>Deletes the job; no error when there is none.</summary>
    Task DeleteAsync(string name, CancellationToken cancellationToken);

    /// <summary>Every job of this app as scheduled, by name.</summary>
    Task<IReadOnlyList<Proto.Job>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Deletes this app's jobs whose names start with <paramref name="prefix"/>, all of them for an empty one.</summary>
    Task DeleteByPrefixAsync(string prefix, CancellationToken cancellationToken);
}

/// <summary>Checks requests as daprd does, reads the job's times (so a bad one is refused now), and stores it.</summary>
internal sealed class JobsApi(JobStore store, JobScheduler scheduler, SidecarOptions options, TimeProvider time) : IJobsApi
{
    public async Task ScheduleAsync(Proto.Job? job, bool overwrite, CancellationToken cancellationToken)
    {
        if (job is null)
        {
            throw JobsErrors.JobEmpty().ToException();
        }

        if (string.IsNullOrWhiteSpace(job.Name))
        {
            throw JobsErrors.NameEmpty().ToException();
        }

        if (!job.HasSchedule && !job.HasDueTime)
        {
            throw JobsErrors.ScheduleEmpty().ToException();
        }

        var created = time.GetUtcNow();
        var plan = JobPlan.From(job, created);
        // A job that never fires (its ttl ends before its first trigger) is kept until its ttl ends, then dropped unfired.
        var due = plan.First(created) ?? plan.ExpiresAt!.Value.AddMilliseconds(1);
        if (!await store.AddAsync(options.AppId, job, created, due, overwrite, cancellationToken))
        {
            throw JobsErrors.AlreadyExists(job.Name).ToException();
        }

        scheduler.Wake();
    }

    public async Task<Proto.Job> GetAsync(string name, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw JobsErrors.NameEmpty().ToException();
        }

        return await store.GetAsync(options.AppId, name, cancellationToken) ?? throw JobsErrors.NotFound(name).ToException();
    }

    public async Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw JobsErrors.NameEmpty().ToException();
        }

        await store.DeleteAsync(options.AppId, name, cancellationToken);
    }

    // dapr/dapr pkg/api/universal/jobs.go listJobs and deleteJobsByPrefix: the scheduler's jobs of this app id (a prefix
    // of its key), with no check of the prefix. Nothing is stored before the state file exists, so nothing is made for it.
    public async Task<IReadOnlyList<Proto.Job>> ListAsync(CancellationToken cancellationToken) =>
        store.Exists ? await store.ListAsync(options.AppId, cancellationToken) : [];

    public async Task DeleteByPrefixAsync(string prefix, CancellationToken cancellationToken)
    {
        if (store.Exists)
        {
            await store.DeleteByPrefixAsync(options.AppId, prefix, cancellationToken);
        }
    }
}
