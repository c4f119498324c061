using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Sidecar.Jobs;
using Proto = Dapr.Client.Autogen.Grpc.v1;

namespace Sidecar.Api.Grpc;

/// <summary>
/// The jobs RPCs: ScheduleJob, GetJob, DeleteJob, ListJobs, DeleteJobsByPrefix, under those names and their
/// <c>...Alpha1</c> names (daprd has the last two from 1.17 on, the stable names later; Dapr.Protos 1.18.7 calls them all).
/// </summary>
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

    public static async Task<Proto.ListJobsResponse> ListJobs(Proto.ListJobsRequest request, ServerCallContext context) =>
        new() { Jobs = { await context.Service<IJobsApi>().ListAsync(context.CancellationToken) } };

    public static async Task<Proto.ListJobsResponseAlpha1> ListJobsAlpha1(Proto.ListJobsRequestAlpha1 request, ServerCallContext context) =>
        new() { Jobs = { await context.Service<IJobsApi>().ListAsync(context.CancellationToken) } };

    public static async Task<Proto.DeleteJobsByPrefixResponse> DeleteJobsByPrefix(Proto.DeleteJobsByPrefixRequest request, ServerCallContext context)
    {
        await context.Service<IJobsApi>().DeleteByPrefixAsync(request.NamePrefix, context.CancellationToken);
        return new Proto.DeleteJobsByPrefixResponse();
    }

    public static async Task<Proto.DeleteJobsByPrefixResponseAlpha1> DeleteJobsByPrefixAlpha1(
        Proto.DeleteJobsByPrefixRequestAlpha1 request, ServerCallContext context)
    {
        await context.Service<IJobsApi>().DeleteByPrefixAsync(request.NamePrefix, context.CancellationToken);
        return new Proto.DeleteJobsByPrefixResponseAlpha1();
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

        // Their Alpha1 names take messages of their own (ListJobsRequestAlpha1...), so they are bound one by one.
        context.AddDaprUnary<Proto.ListJobsRequest, Proto.ListJobsResponse>("ListJobs", DaprGrpcService.ListJobs);
        context.AddDaprUnary<Proto.ListJobsRequestAlpha1, Proto.ListJobsResponseAlpha1>("ListJobsAlpha1", DaprGrpcService.ListJobsAlpha1);
        context.AddDaprUnary<Proto.DeleteJobsByPrefixRequest, Proto.DeleteJobsByPrefixResponse>(
            "DeleteJobsByPrefix", DaprGrpcService.DeleteJobsByPrefix);
        context.AddDaprUnary<Proto.DeleteJobsByPrefixRequestAlpha1, Proto.DeleteJobsByPrefixResponseAlpha1>(
            "DeleteJobsByPrefixAlpha1", DaprGrpcService.DeleteJobsByPrefixAlpha1);
    }
}
