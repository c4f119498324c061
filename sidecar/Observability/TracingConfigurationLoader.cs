using System.Globalization;
using Sidecar.Components;
using YamlDotNet.RepresentationModel;

namespace Sidecar.Observability;

/// <summary>
/// Reads <c>spec.tracing</c> from the <c>--config</c> file. Anything daprd would reject (a rate that is not a number
/// between 0 and 1, a protocol other than http or grpc) stops the start with the file and line.
/// </summary>
internal static class TracingConfigurationLoader
{
    public static TracingSettings Load(string? configFile)
    {
        if (configFile is null)
        {
            return TracingSettings.Off;
        }

        var yaml = new YamlStream();
        try
        {
            using var reader = File.OpenText(configFile);
            yaml.Load(reader);
        }
        catch (YamlDotNet.Core.YamlException ex)
        {
            throw ResourceLoadException.At(configFile, ex.Start.Line, $"not valid YAML: {ex.Message}");
        }

        var root = yaml.Documents.Select(d => d.RootNode).OfType<YamlMappingNode>()
            .FirstOrDefault(d => YamlTree.ChildText(d, "kind") == "Configuration");
        if (root is null || YamlTree.Child(root, "spec") is not YamlMappingNode spec
            || YamlTree.Child(spec, "tracing") is not YamlMappingNode tracing)
        {
            return TracingSettings.Off;
        }

        var settings = new TracingSettings { SamplingRate = Rate(configFile, tracing) };
        if (YamlTree.Child(tracing, "otel") is YamlMappingNode otel)
        {
            var protocol = YamlTree.ChildText(otel, "protocol") ?? "http";
            if (protocol is not ("http" or "grpc"))
            {
                throw ResourceLoadException.At(configFile, YamlTree.LineOf(otel),
                    $"spec.tracing.otel.protocol '{protocol}' is not one of http, grpc");
            }

            settings = settings with
            {
                OtelEndpoint = YamlTree.ChildText(otel, "endpointAddress"),
                OtelIsSecure = bool.TryParse(YamlTree.ChildText(otel, "isSecure"), out var secure) && secure,
                OtelProtocol = protocol,
            };
        }

        if (YamlTree.Child(tracing, "zipkin") is YamlMappingNode zipkin)
        {
            settings = settings with { ZipkinEndpoint = YamlTree.ChildText(zipkin, "endpointAddress") };
        }

        return settings;
    }

    private static double Rate(string file, YamlMappingNode tracing)
    {
        var text = YamlTree.ChildText(tracing, "samplingRate");
        if (text is null)
        {
            return 0;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) || rate is < 0 or > 1)
        {
            throw ResourceLoadException.At(file, YamlTree.LineOf(YamlTree.Child(tracing, "samplingRate")!),
                $"spec.tracing.samplingRate '{text}' is not a number between 0 and 1");
        }

        return rate;
    }
}
