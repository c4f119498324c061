using Deploy.Tests.Sources;
using Deploy.Tests.Support;

namespace Deploy.Tests.Checks;

/// <summary>Every web service has a Deployment and a Service, and every Dapr Deployment is one of the web services.</summary>
internal static class CoverageCheck
{
    public static IReadOnlyList<string> Run(RepoFiles files, Rendered rendered)
    {
        var problems = new Problems();
        var workloads = Workload.In(rendered).ToList();
        var services = ServiceProjects.Read(files);
        foreach (var service in services)
        {
            var workload = workloads.FirstOrDefault(w => w.AppId == service.AppId);
            if (workload is null)
            {
                problems.Add(service.ProjectFile, $"Deployment with dapr.io/app-id \"{service.AppId}\"", $"is missing from {rendered.Directory}");
                continue;
            }

            var containerPort = workload.Container.Child("ports").Items().FirstOrDefault().Child("containerPort").Text();
            var exposed = rendered.OfKind("Service").Any(s =>
                workload.IsSelectedBy(s.Root.At("spec", "selector")) &&
                s.Root.At("spec", "ports").Items().Any(p => workload.ResolvePort(p.Child("targetPort").Text()) == containerPort));
            if (!exposed)
            {
                problems.Add(service.ProjectFile, $"Service selecting Deployment \"{workload.Name}\" on port {containerPort}", $"is missing from {rendered.Directory}");
            }
        }

        foreach (var workload in workloads.Where(w => w.DaprEnabled && services.All(s => s.AppId != w.AppId)))
        {
            problems.Add(workload.File, Workload.AnnotationField("dapr.io/app-id"), $"is \"{workload.AppId}\", but services/{workload.AppId} has no web project");
        }

        foreach (var service in rendered.OfKind("Service"))
        {
            problems.Expect(service.File, "spec.type", service.Root.At("spec", "type").Text() ?? "ClusterIP", "ClusterIP", "the deployment standard");
        }

        return problems.Lines;
    }
}
