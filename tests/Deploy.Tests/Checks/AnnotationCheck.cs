using Deploy.Tests.Support;

namespace Deploy.Tests.Checks;

/// <summary>The Dapr annotations every Deployment carries, as strings, with a Configuration that exists.</summary>
internal static class AnnotationCheck
{
    private const string Standard = "the deployment standard";

    private static readonly (string Key, string Value)[] s_fixed =
    [
        ("dapr.io/enabled", "true"),
        ("dapr.io/app-protocol", "http"),
        ("dapr.io/enable-app-health-check", "true"),
        ("dapr.io/app-health-check-path", "/health/ready"),
        ("dapr.io/log-as-json", "true"),
        ("dapr.io/enable-metrics", "true"),
    ];

    private static readonly string[] s_required = ["dapr.io/app-id", "dapr.io/app-port", "dapr.io/config"];

    public static IReadOnlyList<string> Run(Rendered rendered)
    {
        var problems = new Problems();
        foreach (var workload in Workload.In(rendered))
        {
            foreach (var (key, value) in s_fixed)
            {
                problems.Expect(workload.File, Workload.AnnotationField(key), workload.Annotation(key), value, Standard);
            }

            foreach (var key in s_required)
            {
                problems.Require(workload.File, Workload.AnnotationField(key), workload.Annotation(key));
            }

            foreach (var resource in new[] { "cpu", "memory" })
            {
                var request = $"dapr.io/sidecar-{resource}-request";
                var limit = $"dapr.io/sidecar-{resource}-limit";
                if (problems.Require(workload.File, Workload.AnnotationField(request), workload.Annotation(request)) &
                    problems.Require(workload.File, Workload.AnnotationField(limit), workload.Annotation(limit)) &&
                    Quantity.Parse(workload.Annotation(request)) > Quantity.Parse(workload.Annotation(limit)))
                {
                    problems.Add(workload.File, Workload.AnnotationField(request), $"is \"{workload.Annotation(request)}\", more than its limit \"{workload.Annotation(limit)}\"");
                }
            }

            foreach (var (key, value) in workload.Annotations.Entries().Where(e => e.Value.IsPlainNonString()))
            {
                problems.Add(workload.File, Workload.AnnotationField(key), $"is the unquoted {value.Text()}: annotations must be strings, so quote it");
            }

            var config = workload.Annotation("dapr.io/config");
            if (config is not null && rendered.Find("Configuration", config) is null)
            {
                problems.Add(workload.File, Workload.AnnotationField("dapr.io/config"), $"is \"{config}\", but {rendered.Directory} has no Configuration \"{config}\"");
            }
        }

        return problems.Lines;
    }
}
