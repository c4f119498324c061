using Deploy.Tests.Sources;
using Deploy.Tests.Support;

namespace Deploy.Tests.Checks;

/// <summary>App ids, ports and app health settings of every Dapr Deployment agree with <c>dapr.yaml</c>.</summary>
internal static class RunFileCheck
{
    // dapr.yaml `common` key to the annotation that carries the same setting in Kubernetes.
    private static readonly (string Common, string Annotation)[] s_shared =
    [
        ("appProtocol", "dapr.io/app-protocol"),
        ("enableAppHealthCheck", "dapr.io/enable-app-health-check"),
        ("appHealthCheckPath", "dapr.io/app-health-check-path"),
        ("appHealthProbeInterval", "dapr.io/app-health-probe-interval"),
        ("appHealthProbeTimeout", "dapr.io/app-health-probe-timeout"),
        ("appHealthThreshold", "dapr.io/app-health-threshold"),
    ];

    public static IReadOnlyList<string> Run(RepoFiles files, Rendered rendered)
    {
        var problems = new Problems();
        var runFile = RunFile.Read(files);
        var (live, ready) = (HealthPathsSource.Read(files, "LivePath"), HealthPathsSource.Read(files, "ReadyPath"));
        problems.Expect(RunFile.Path, "common.appHealthCheckPath", runFile.Common.GetValueOrDefault("appHealthCheckPath"), ready, $"{HealthPathsSource.Path} ReadyPath");
        foreach (var workload in Workload.In(rendered).Where(w => w.DaprEnabled))
        {
            if (!runFile.Apps.TryGetValue(workload.AppId, out var app))
            {
                problems.Add(workload.File, Workload.AnnotationField("dapr.io/app-id"), $"is \"{workload.AppId}\", which {RunFile.Path} has no app for");
                continue;
            }

            problems.Expect(workload.File, Workload.AnnotationField("dapr.io/app-port"), workload.Annotation("dapr.io/app-port"), app.AppPort, RunFile.Path);
            var ports = workload.Container.Child("ports").Items();
            problems.Expect(workload.File, workload.ContainerField("ports[0].containerPort"), ports.FirstOrDefault().Child("containerPort").Text(), app.AppPort, RunFile.Path);
            problems.Expect(workload.File, workload.ContainerField("env[ASPNETCORE_URLS]"), workload.Env("ASPNETCORE_URLS"), $"http://0.0.0.0:{app.AppPort}", $"{RunFile.Path} (port)");

            foreach (var (common, annotation) in s_shared.Where(s => runFile.Common.ContainsKey(s.Common)))
            {
                problems.Expect(workload.File, Workload.AnnotationField(annotation), workload.Annotation(annotation), runFile.Common[common], $"{RunFile.Path} common.{common}");
            }

            // Readiness gates traffic like Dapr's app health check, so both use the run file's path; liveness has its own.
            var probes = new[]
            {
                ("readinessProbe", runFile.Common.GetValueOrDefault("appHealthCheckPath", ready), $"{RunFile.Path} common.appHealthCheckPath"),
                ("livenessProbe", live, $"{HealthPathsSource.Path} LivePath"),
            };
            foreach (var (probe, path, source) in probes)
            {
                var httpGet = workload.Container.At(probe, "httpGet");
                problems.Expect(workload.File, workload.ContainerField($"{probe}.httpGet.path"), httpGet.Child("path").Text(), path, source);
                problems.Expect(workload.File, workload.ContainerField($"{probe}.httpGet.port"), workload.ResolvePort(httpGet.Child("port").Text()), app.AppPort, RunFile.Path);
            }
        }

        return problems.Lines;
    }
}
