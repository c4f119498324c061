using System.Globalization;
using Deploy.Tests.Sources;
using Deploy.Tests.Support;

namespace Deploy.Tests.Checks;

/// <summary>Probes, resources, a hardened security context, a writable /tmp, JSON logs and a grace period longer than the drain.</summary>
internal static class PodSpecCheck
{
    private const string Standard = "the deployment standard";

    public static IReadOnlyList<string> Run(RepoFiles files, Rendered rendered)
    {
        var problems = new Problems();
        var containerUser = ContainerBuild.Read(files).ContainerUser;
        var drain = ContainerBuild.DefaultDrainSeconds(files);
        foreach (var workload in Workload.In(rendered))
        {
            if (workload.Container is null)
            {
                problems.Add(workload.File, "spec.template.spec.containers", "is missing");
                continue;
            }

            CheckProbes(workload, problems);
            CheckResources(workload, problems);
            CheckSecurity(workload, containerUser, problems);
            CheckTmp(workload, problems);
            problems.Expect(workload.File, workload.ContainerField("env[Logging__Json]"), workload.Env("Logging__Json"), "true", Standard);
            CheckGracePeriod(workload, drain, problems);
        }

        return problems.Lines;
    }

    private static void CheckProbes(Workload workload, Problems problems)
    {
        foreach (var probe in new[] { "readinessProbe", "livenessProbe" })
        {
            problems.Require(workload.File, workload.ContainerField($"{probe}.httpGet.path"), workload.Container.At(probe, "httpGet", "path").Text());
        }
    }

    private static void CheckResources(Workload workload, Problems problems)
    {
        foreach (var resource in new[] { "cpu", "memory" })
        {
            var request = workload.Container.At("resources", "requests", resource).Text();
            var limit = workload.Container.At("resources", "limits", resource).Text();
            if (problems.Require(workload.File, workload.ContainerField($"resources.requests.{resource}"), request) &
                problems.Require(workload.File, workload.ContainerField($"resources.limits.{resource}"), limit) &&
                Quantity.Parse(request) > Quantity.Parse(limit))
            {
                problems.Add(workload.File, workload.ContainerField($"resources.requests.{resource}"), $"is \"{request}\", more than its limit \"{limit}\"");
            }
        }
    }

    private static void CheckSecurity(Workload workload, string containerUser, Problems problems)
    {
        var pod = workload.PodSpec.Child("securityContext");
        var container = workload.Container.Child("securityContext");

        // Either level may carry these; the container's value wins in Kubernetes, so check the effective one.
        string? Effective(params string[] path) => container.At(path).Text() ?? pod.At(path).Text();
        string Field(string name) => container.At(name.Split('.')) is not null || pod.At(name.Split('.')) is null
            ? workload.ContainerField($"securityContext.{name}")
            : $"spec.template.spec.securityContext.{name}";

        problems.Expect(workload.File, Field("runAsNonRoot"), Effective("runAsNonRoot"), "true", Standard);
        problems.Expect(workload.File, Field("runAsUser"), Effective("runAsUser"), containerUser, $"{ContainerBuild.Path} (ContainerUser)");
        problems.Expect(workload.File, Field("seccompProfile.type"), Effective("seccompProfile", "type"), "RuntimeDefault", Standard);
        problems.Expect(workload.File, workload.ContainerField("securityContext.allowPrivilegeEscalation"), container.Child("allowPrivilegeEscalation").Text(), "false", Standard);
        problems.Expect(workload.File, workload.ContainerField("securityContext.readOnlyRootFilesystem"), container.Child("readOnlyRootFilesystem").Text(), "true", Standard);
        var dropped = container.At("capabilities", "drop").Items().Select(i => i.Text()).ToList();
        if (!dropped.Contains("ALL"))
        {
            problems.Add(workload.File, workload.ContainerField("securityContext.capabilities.drop"), $"is [{string.Join(", ", dropped)}], the deployment standard says [ALL]");
        }
    }

    private static void CheckTmp(Workload workload, Problems problems)
    {
        var mount = workload.Container.Child("volumeMounts").Items().FirstOrDefault(m => m.Child("mountPath").Text() == "/tmp");
        if (mount is null)
        {
            problems.Add(workload.File, workload.ContainerField("volumeMounts"), "has no /tmp mount; the root filesystem is read-only and .NET needs a writable /tmp");
            return;
        }

        var volume = workload.PodSpec.Child("volumes").Items().FirstOrDefault(v => v.Child("name").Text() == mount.Child("name").Text());
        if (volume.Child("emptyDir") is null)
        {
            problems.Add(workload.File, "spec.template.spec.volumes", $"has no emptyDir volume \"{mount.Child("name").Text()}\" for the /tmp mount");
        }
    }

    private static void CheckGracePeriod(Workload workload, int defaultDrain, Problems problems)
    {
        const string field = "spec.template.spec.terminationGracePeriodSeconds";
        var grace = int.TryParse(workload.PodSpec.Child("terminationGracePeriodSeconds").Text(), out var g) ? g : 30;
        var drain = workload.Env("ShutdownTimeout") is { } configured && TimeSpan.TryParse(configured, CultureInfo.InvariantCulture, out var span)
            ? (int)span.TotalSeconds
            : defaultDrain;
        if (grace <= drain)
        {
            problems.Add(workload.File, field, $"is {grace}, not longer than the app's drain (ShutdownTimeout {drain}s)");
        }

        // daprd first blocks for block-shutdown-duration, then takes up to graceful-shutdown-seconds (default 5).
        var blocked = workload.Annotation("dapr.io/block-shutdown-duration") is { } block ? GoDurationSeconds(block) : 0;
        var sidecar = blocked + (int.TryParse(workload.Annotation("dapr.io/graceful-shutdown-seconds"), out var s) ? s : 5);
        if (grace <= sidecar)
        {
            problems.Add(workload.File, field, $"is {grace}, not longer than the sidecar's shutdown ({sidecar}s of block-shutdown-duration and graceful-shutdown-seconds)");
        }
    }

    /// <summary>Whole seconds of a Go duration such as <c>25s</c>, <c>1m30s</c> or <c>500ms</c>.</summary>
    private static int GoDurationSeconds(string duration)
    {
        var total = 0m;
        foreach (System.Text.RegularExpressions.Match part in System.Text.RegularExpressions.Regex.Matches(duration, @"(\d+(?:\.\d+)?)(ms|s|m|h)"))
        {
            var value = decimal.Parse(part.Groups[1].Value, CultureInfo.InvariantCulture);
            total += part.Groups[2].Value switch { "ms" => value / 1000, "s" => value, "m" => value * 60, _ => value * 3600 };
        }

        return (int)Math.Ceiling(total);
    }
}
