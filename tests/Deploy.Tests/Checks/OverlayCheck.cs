using Deploy.Tests.Support;

namespace Deploy.Tests.Checks;

/// <summary>What distinguishes the overlays: one replica in dev; replicas, disruption budgets and API tokens in production.</summary>
internal static class OverlayCheck
{
    public static IReadOnlyList<string> Dev(Rendered rendered)
    {
        var problems = new Problems();
        foreach (var workload in Workload.In(rendered))
        {
            problems.Expect(workload.File, "spec.replicas", workload.Resource.Root.At("spec", "replicas").Text() ?? "1", "1", $"the dev overlay ({rendered.Directory})");
        }

        return problems.Lines;
    }

    public static IReadOnlyList<string> Production(Rendered rendered)
    {
        var problems = new Problems();
        foreach (var workload in Workload.In(rendered))
        {
            var replicas = int.TryParse(workload.Resource.Root.At("spec", "replicas").Text() ?? "1", out var r) ? r : 0;
            if (replicas < 2)
            {
                problems.Add(workload.File, "spec.replicas", $"is {replicas} in {rendered.Directory}; production runs at least 2 so a disruption budget can hold");
            }

            var budgets = rendered.OfKind("PodDisruptionBudget").Where(p => workload.IsSelectedBy(p.Root.At("spec", "selector", "matchLabels"))).ToList();
            if (budgets.Count == 0)
            {
                problems.Add(workload.File, $"Deployment \"{workload.Name}\"", $"has no PodDisruptionBudget selecting its pods in {rendered.Directory}");
            }

            foreach (var budget in budgets)
            {
                if (int.TryParse(budget.Root.At("spec", "minAvailable").Text(), out var min) && min >= replicas)
                {
                    problems.Add(budget.File, "spec.minAvailable", $"is {min}, not below the {replicas} replicas of \"{workload.Name}\", so no node could ever be drained");
                }
            }

            foreach (var key in new[] { "dapr.io/api-token-secret", "dapr.io/app-token-secret" })
            {
                problems.Require(workload.File, $"{Workload.AnnotationField(key)} (in {rendered.Directory})", workload.Annotation(key));
            }
        }

        return problems.Lines;
    }
}
