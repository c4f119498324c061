using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Sidecar.Jobs;
using Proto = Dapr.Client.Autogen.Grpc.v1;

namespace Sidecar.Api.Grpc;

/// <summary>The jobs RPCs: ScheduleJob, GetJob, DeleteJob, under those names and their <c>...Alpha1</c> names.</summary>
internal sealed partial class DaprGrpcService
{
    public static async Task<Proto.ScheduleJobResponse> ScheduleJob(Proto.ScheduleJobRequest request, ServerCallContext context)
    {
        await context.Service<IJobsApi>().ScheduleAsync(request.Job, request.Overwrite, context.CancellationToken);
        return new Proto.ScheduleJobResponse();
    }

    public static async Task<Proto.GetJobResponse> GetJob(Proto.GetJobRequest request, ServerCallContext context) =>
        new() { Job = await context.Service<IJobsApi>().GetAsync(request.Name, context.CancellationToken) };

    public static async Task<Proto.DeleteJobResponse> DeleteJob(Proto.DeleteJobRequest request, ServerCallContext context)
    {
        await context.Service<IJobsApi>().DeleteAsync(request.Name, context.CancellationToken);
        return new Proto.DeleteJobResponse();
    }
}

/// <summary>Binds the jobs RPCs.</summary>
internal sealed partial class DaprGrpcMethodProvider
{
    static partial void AddJobsMethods(ServiceMethodProviderContext<DaprGrpcService> context)
    {
        foreach (var suffix in new[] { "", "Alpha1" })
        {
            context.AddDaprUnary<Proto.ScheduleJobRequest, Proto.ScheduleJobResponse>("ScheduleJob" + suffix, DaprGrpcService.ScheduleJob);
            context.AddDaprUnary<Proto.GetJobRequest, Proto.GetJobResponse>("GetJob" + suffix, DaprGrpcService.GetJob);
            context.AddDaprUnary<Proto.DeleteJobRequest, Proto.DeleteJobResponse>("DeleteJob" + suffix, DaprGrpcService.DeleteJob);
        }
    }
}
