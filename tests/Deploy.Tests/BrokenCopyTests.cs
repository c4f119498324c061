using Deploy.Tests.Checks;
using Deploy.Tests.Support;

namespace Deploy.Tests;

/// <summary>
/// The checks can fail: each test breaks one thing in an in-memory copy of the repository and asserts the problem
/// names the file and the field a person has to fix.
/// </summary>
public sealed class BrokenCopyTests
{
    private const string Catalog = "deploy/k8s/base/catalog.yaml";
    private const string Pubsub = "deploy/k8s/base/dapr/pubsub.yaml";
    private const string ProductionKustomization = "deploy/k8s/overlays/production/kustomization.yaml";

    private static readonly RepoFiles s_files = RepoFiles.Current;

    [Fact]
    public void AppPort_WhenItDiffersFromRunFile_NamesFileFieldAndBothValues()
    {
        var broken = s_files.Replace(Catalog, "dapr.io/app-port: \"5101\"", "dapr.io/app-port: \"5109\"");

        var problems = RunFileCheck.Run(broken, Kustomize.Build(broken, Roots.Dev));

        ProblemAssert.Contains($"{Catalog}: spec.template.metadata.annotations[\"dapr.io/app-port\"] is \"5109\", dapr.yaml says 5101", problems);
    }

    [Fact]
    public void ProbePort_WhenItIsNotTheAppPort_NamesTheProbe()
    {
        var broken = s_files.Replace(Catalog, "path: /health/ready\n              port: 5101\n            periodSeconds: 5", "path: /health/ready\n              port: 8080\n            periodSeconds: 5");

        var problems = RunFileCheck.Run(broken, Kustomize.Build(broken, Roots.Dev));

        ProblemAssert.Contains($"{Catalog}: spec.template.spec.containers[0].readinessProbe.httpGet.port is \"8080\", dapr.yaml says 5101", problems);
    }

    [Fact]
    public void LivenessProbe_WhenItUsesTheReadinessRoute_NamesTheProbeAndTheLivenessRoute()
    {
        var broken = s_files.Replace(Catalog, "path: /health/live", "path: /health/ready");

        var problems = RunFileCheck.Run(broken, Kustomize.Build(broken, Roots.Dev));

        ProblemAssert.Contains($"{Catalog}: spec.template.spec.containers[0].livenessProbe.httpGet.path is \"/health/ready\", services/service-defaults/ServiceDefaultsExtensions.cs LivePath says /health/live", problems);
    }

    [Fact]
    public void RunFileAppHealthPath_WhenNotTheReadinessRoute_NamesTheRunFile()
    {
        var broken = s_files.Replace("dapr.yaml", "appHealthCheckPath: /health/ready", "appHealthCheckPath: /healthz");

        var problems = RunFileCheck.Run(broken, Kustomize.Build(broken, Roots.Dev));

        ProblemAssert.Contains("dapr.yaml: common.appHealthCheckPath is \"/healthz\", services/service-defaults/ServiceDefaultsExtensions.cs ReadyPath says /health/ready", problems);
    }

    [Fact]
    public void PubsubScopes_WhenPaymentsIsAdded_NamesScopesAndTheLocalComponent()
    {
        var broken = s_files.Replace(Pubsub, "  - orders\n", "  - orders\n  - payments\n");

        var problems = ComponentCheck.Run(broken, Kustomize.Build(broken, Roots.Dev));

        ProblemAssert.Contains($"{Pubsub}: scopes is \"catalog, notifications, orders, payments\", components/pubsub.yaml says catalog, notifications, orders", problems);
    }

    [Fact]
    public void RedisPassword_WhenWrittenAsAPlainValue_AsksForASecretKeyRef()
    {
        var broken = s_files.Replace(Pubsub, "      secretKeyRef:\n        name: redis\n        key: redis-password", "      value: hunter2");

        var problems = ComponentCheck.Run(broken, Kustomize.Build(broken, Roots.Dev));

        ProblemAssert.Names($"{Pubsub}: spec.metadata[1] (redisPassword) has no secretKeyRef", problems);
    }

    [Fact]
    public void Resiliency_WhenAPolicyDiffers_NamesTheField()
    {
        const string resiliency = "deploy/k8s/base/dapr/resiliency.yaml";
        var broken = s_files.Replace(resiliency, "maxRetries: 5", "maxRetries: 50");

        var problems = ComponentCheck.Run(broken, Kustomize.Build(broken, Roots.Dev));

        ProblemAssert.Contains($"{resiliency}: spec.policies.retries.deliveryRetry.maxRetries differs from components/resiliency.yaml", problems);
    }

    [Fact]
    public void RetryPolicy_WhenItMatchesA4xx_NamesThePolicyAndTheCode()
    {
        const string resiliency = "components/resiliency.yaml";
        var broken = s_files.Replace(resiliency, "httpStatusCodes: \"500,502-504\"", "httpStatusCodes: \"409,500-599\"");

        var problems = RetryMatchingCheck.Run(broken, Kustomize.Build(broken, Roots.Dev));

        ProblemAssert.Contains($"{resiliency}: spec.policies.retries.invocationRetry.matching.httpStatusCodes is \"409,500-599\", which retries 409: a 4xx is an answer, not a transient failure", problems);
    }

    [Fact]
    public void RetryPolicy_WithoutMatching_SaysDaprdRetriesEveryNon2xx()
    {
        const string resiliency = "deploy/k8s/base/dapr/resiliency.yaml";
        var broken = s_files.Replace(resiliency, "        matching:\n          httpStatusCodes: \"500-599\"\n", "        matching:\n");

        var problems = RetryMatchingCheck.Run(broken, Kustomize.Build(broken, Roots.Dev));

        ProblemAssert.Names($"{resiliency}: spec.policies.retries.deliveryRetry.matching.httpStatusCodes is missing", problems);
    }

    [Fact]
    public void ReadOnlyRootFilesystem_WhenRemoved_NamesTheContainerField()
    {
        var broken = s_files.Replace(Catalog, "            readOnlyRootFilesystem: true\n", "");

        var problems = PodSpecCheck.Run(broken, Kustomize.Build(broken, Roots.Dev));

        ProblemAssert.Contains($"{Catalog}: spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem is missing, the deployment standard says true", problems);
    }

    [Fact]
    public void GracePeriod_WhenShorterThanTheDrain_NamesTheField()
    {
        var broken = s_files.Replace(Catalog, "terminationGracePeriodSeconds: 40", "terminationGracePeriodSeconds: 15");

        var problems = PodSpecCheck.Run(broken, Kustomize.Build(broken, Roots.Dev));

        ProblemAssert.Contains($"{Catalog}: spec.template.spec.terminationGracePeriodSeconds is 15, not longer than the app's drain (ShutdownTimeout 20s)", problems);
    }

    [Fact]
    public void ConfigAnnotation_WhenItNamesNoConfiguration_SaysWhichIsMissing()
    {
        var broken = s_files.Replace(Catalog, "dapr.io/config: dapr-config", "dapr.io/config: daprConfig");

        var problems = AnnotationCheck.Run(Kustomize.Build(broken, Roots.Dev));

        ProblemAssert.Contains($"{Catalog}: spec.template.metadata.annotations[\"dapr.io/config\"] is \"daprConfig\", but {Roots.Dev} has no Configuration \"daprConfig\"", problems);
    }

    [Fact]
    public void Annotation_WhenUnquotedNumber_AsksToQuoteIt()
    {
        var broken = s_files.Replace(Catalog, "dapr.io/app-health-threshold: \"3\"", "dapr.io/app-health-threshold: 3");

        var problems = AnnotationCheck.Run(Kustomize.Build(broken, Roots.Dev));

        ProblemAssert.Contains($"{Catalog}: spec.template.metadata.annotations[\"dapr.io/app-health-threshold\"] is the unquoted 3: annotations must be strings, so quote it", problems);
    }

    [Fact]
    public void SidecarMemoryRequest_WhenAboveItsLimit_NamesTheAnnotation()
    {
        var broken = s_files.Replace(Catalog, "dapr.io/sidecar-memory-request: 64Mi", "dapr.io/sidecar-memory-request: 1Gi");

        var problems = AnnotationCheck.Run(Kustomize.Build(broken, Roots.Dev));

        ProblemAssert.Contains($"{Catalog}: spec.template.metadata.annotations[\"dapr.io/sidecar-memory-request\"] is \"1Gi\", more than its limit \"256Mi\"", problems);
    }

    [Fact]
    public void Kustomization_WhenAResourceFileIsMissing_NamesTheReference()
    {
        var broken = s_files.Without("deploy/k8s/overlays/production/pdb.yaml");

        var problems = Kustomize.Build(broken, Roots.Production).Problems;

        ProblemAssert.Contains($"{ProductionKustomization}: resources[1] \"pdb.yaml\" is neither a file nor a directory with a kustomization.yaml", problems);
    }

    [Fact]
    public void Kustomization_WhenAPatchTargetsNothing_NamesThePatch()
    {
        var broken = s_files.Replace("deploy/k8s/overlays/production/tracing.yaml", "name: dapr-config", "name: tracing");

        var problems = Kustomize.Build(broken, Roots.Production).Problems;

        ProblemAssert.Names($"{ProductionKustomization}: patches[1] (tracing.yaml) matches no resource", problems);
    }

    [Fact]
    public void Kustomization_WhenReplicasNameAnUnknownDeployment_NamesTheEntry()
    {
        var broken = s_files.Replace(ProductionKustomization, "  - name: payments\n", "  - name: billing\n");

        var problems = Kustomize.Build(broken, Roots.Production).Problems;

        ProblemAssert.Contains($"{ProductionKustomization}: replicas[2].name \"billing\" matches no Deployment", problems);
    }

    [Fact]
    public void Production_WhenADeploymentHasNoDisruptionBudget_NamesTheDeployment()
    {
        const string pdb = "deploy/k8s/overlays/production/pdb.yaml";
        var broken = s_files.Replace(pdb, "      app.kubernetes.io/name: orders", "      app.kubernetes.io/name: order");

        var problems = OverlayCheck.Production(Kustomize.Build(broken, Roots.Production));

        ProblemAssert.Contains($"deploy/k8s/base/orders.yaml: Deployment \"orders\" has no PodDisruptionBudget selecting its pods in {Roots.Production}", problems);
    }

    [Fact]
    public void Production_WhenTheTokenPatchIsDropped_NamesTheMissingAnnotations()
    {
        var broken = s_files.Replace(ProductionKustomization, "  - path: api-tokens.yaml\n    target:\n      kind: Deployment\n", "");

        var problems = OverlayCheck.Production(Kustomize.Build(broken, Roots.Production));

        ProblemAssert.Contains($"{Catalog}: spec.template.metadata.annotations[\"dapr.io/api-token-secret\"] (in {Roots.Production}) is missing", problems);
    }

    [Fact]
    public void TokenSecret_WhenNeitherRenderedNorDocumented_NamesTheAnnotation()
    {
        var broken = s_files.Replace("deploy/k8s/overlays/production/api-tokens.yaml", "dapr.io/app-token-secret: dapr-app-token", "dapr.io/app-token-secret: app-token");

        var problems = SecretCheck.Run(broken, Kustomize.Build(broken, Roots.Production));

        ProblemAssert.Contains($"{Catalog}: spec.template.metadata.annotations[\"dapr.io/app-token-secret\"] names Secret \"app-token\", which {Roots.Production} does not create and deploy/README.md does not tell to create in namespace dapr-shop", problems);
    }

    [Fact]
    public void ContainerBuild_WhenAPortDiffersFromRunFile_NamesTheProperty()
    {
        var broken = s_files.Replace("services/Directory.Build.props", "'$(DaprAppId)' == 'payments'\">5103<", "'$(DaprAppId)' == 'payments'\">5113<");

        var problems = ContainerBuildCheck.Run(broken, Kustomize.Build(broken, Roots.Dev));

        ProblemAssert.Contains("services/Directory.Build.props: DaprAppPort[\"payments\"] is \"5113\", dapr.yaml says 5103", problems);
    }

    [Fact]
    public void Coverage_WhenAWebServiceHasNoDeployment_NamesTheProject()
    {
        var broken = s_files.With("services/inventory/Inventory.csproj", "<Project Sdk=\"Microsoft.NET.Sdk.Web\">\n</Project>\n");

        var problems = CoverageCheck.Run(broken, Kustomize.Build(broken, Roots.Dev));

        ProblemAssert.Contains($"services/inventory/Inventory.csproj: Deployment with dapr.io/app-id \"inventory\" is missing from {Roots.Dev}", problems);
    }

    [Fact]
    public void ServiceCode_WhenItUsesAComponentOutOfScope_NamesTheComponentScopes()
    {
        var source = "services/payments/Extensions/Events.cs";
        var broken = s_files
            .With("services/payments/Payments.csproj", "<Project Sdk=\"Microsoft.NET.Sdk.Web\">\n</Project>\n")
            .With(source, "class Events { string _name = Contracts.DaprNames.PubSub; }\n");

        var problems = ComponentCheck.RunForCode(broken, Kustomize.Build(broken, Roots.Dev));

        ProblemAssert.Contains($"{Pubsub}: scopes is [catalog, orders, notifications], but {source} uses DaprNames.PubSub from app \"payments\"", problems);
    }

    [Fact]
    public void SettingVariable_WhenMisspelt_NamesTheVariable()
    {
        const string orders = "deploy/k8s/base/orders.yaml";
        var broken = s_files.Replace(orders, "name: Orders__ApprovalThreshold", "name: Orders__ApprovalTreshold");

        var problems = ConfigKeyCheck.Run(broken, Kustomize.Build(broken, Roots.Dev));

        ProblemAssert.Contains($"{orders}: spec.template.spec.containers[0].env[2].name is \"Orders__ApprovalTreshold\", but services/orders reads no configuration key Orders:ApprovalTreshold", problems);
    }
}
