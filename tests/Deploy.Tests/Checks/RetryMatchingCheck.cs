using System.Globalization;
using Deploy.Tests.Sources;
using Deploy.Tests.Support;

namespace Deploy.Tests.Checks;

/// <summary>
/// Every retry policy retries only transient failures. daprd retries every app answer outside 200-399 unless the
/// policy's <c>matching</c> lists the codes to retry (pkg/resiliency/retry.go: no list means retry all), so a policy
/// without <c>matching.httpStatusCodes</c>, or one whose list takes in a 4xx (a shortage, a refused item, a conflict)
/// or a gRPC code that is an answer rather than an outage, is a problem.
/// </summary>
internal static class RetryMatchingCheck
{
    // gRPC codes that are the callee's answer, not a transient failure: INVALID_ARGUMENT, NOT_FOUND, ALREADY_EXISTS,
    // PERMISSION_DENIED, FAILED_PRECONDITION, ABORTED, OUT_OF_RANGE, UNIMPLEMENTED, UNAUTHENTICATED.
    private static readonly int[] s_grpcAnswers = [3, 5, 6, 7, 9, 10, 11, 12, 16];

    public static IReadOnlyList<string> Run(RepoFiles files, Rendered rendered)
    {
        var problems = new Problems();
        var resources = LocalComponents.Read(files).Concat(rendered.OfKind("Resiliency")).Where(r => r.Kind == "Resiliency");
        foreach (var resiliency in resources)
        {
            foreach (var (name, policy) in resiliency.Root.At("spec", "policies", "retries").Entries())
            {
                var field = $"spec.policies.retries.{name}.matching";
                var http = policy.At("matching", "httpStatusCodes").Text();
                if (string.IsNullOrWhiteSpace(http))
                {
                    problems.Add(resiliency.File, $"{field}.httpStatusCodes", "is missing: daprd would retry every non-2xx answer, 4xx included");
                    continue;
                }

                foreach (var code in Codes(http).Where(c => c is >= 400 and <= 499).Take(1))
                {
                    problems.Add(resiliency.File, $"{field}.httpStatusCodes", $"is \"{http}\", which retries {code}: a 4xx is an answer, not a transient failure");
                }

                var grpc = policy.At("matching", "gRPCStatusCodes").Text();
                foreach (var code in Codes(grpc ?? "").Where(s_grpcAnswers.Contains).Take(1))
                {
                    problems.Add(resiliency.File, $"{field}.gRPCStatusCodes", $"is \"{grpc}\", which retries {code}: that gRPC code is an answer, not a transient failure");
                }
            }
        }

        return problems.Lines;
    }

    /// <summary>Every code a daprd pattern list covers ("500,502-504").</summary>
    private static IEnumerable<int> Codes(string patterns)
    {
        foreach (var pattern in patterns.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var bounds = pattern.Split('-', 2);
            var start = int.Parse(bounds[0], CultureInfo.InvariantCulture);
            var end = bounds.Length == 2 ? int.Parse(bounds[1], CultureInfo.InvariantCulture) : start;
            for (var code = start; code <= end; code++)
            {
                yield return code;
            }
        }
    }
}
