using Sidecar.Tests.Infrastructure;

namespace Sidecar.Tests.JsSdk;

/// <summary>The environment a <c>tests/js-sdk</c> script reads: the sidecar's ports plus the script's own settings.</summary>
internal static class JsSdkEnvironment
{
    public static Dictionary<string, string> For(TestSidecar sidecar, params (string Name, string Value)[] settings)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["DAPR_HTTP_PORT"] = $"{sidecar.Options.HttpPort}",
            ["DAPR_GRPC_PORT"] = $"{sidecar.Options.GrpcPort}",
        };
        foreach (var (name, value) in settings)
        {
            environment[name] = value;
        }

        return environment;
    }
}
