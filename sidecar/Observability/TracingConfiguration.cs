using System.Globalization;
using Sidecar.AppChannel.Resources;
using Sidecar.Components;
using Sidecar.Hosting;
using Sidecar.NameResolution;

namespace Sidecar.Observability;

/// <summary>
/// Reads <c>spec.tracing</c> of the Configuration daprd applies (the <c>--config</c> file's, as name resolution and
/// secret scopes read theirs). Anything daprd would reject (a rate that is not a number between 0 and 1, a protocol
/// other than http or grpc, an <c>isSecure</c> that is not a boolean) stops the start with the file and line.
/// </summary>
internal static class TracingConfiguration
{
    public static TracingSettings Read(ResourceSet resources, SidecarOptions options)
    {
        var document = resources.AppliedConfiguration(options.ConfigFile);
        if (document is null || SpecTree.Child(SpecTree.From(document.Spec), "tracing") is not { } tracing)
        {
            return TracingSettings.Off;
        }

        var settings = new TracingSettings { SamplingRate = Rate(document, tracing) };
        if (SpecTree.Map(tracing, "otel") is { } otel)
        {
            var protocol = SpecTree.String(otel, "protocol") ?? "http";
            if (protocol is not ("http" or "grpc"))
            {
                throw Invalid(document, "protocol", $"spec.tracing.otel.protocol '{protocol}' is not one of http, grpc");
            }

            var secure = SpecTree.String(otel, "isSecure") ?? "false";
            if (!bool.TryParse(secure, out var isSecure))
            {
                throw Invalid(document, "isSecure", $"spec.tracing.otel.isSecure '{secure}' is not true or false");
            }

            settings = settings with
            {
                OtelEndpoint = Blank(SpecTree.String(otel, "endpointAddress")),
                OtelIsSecure = isSecure,
                OtelProtocol = protocol,
            };
        }

        if (SpecTree.Map(tracing, "zipkin") is { } zipkin)
        {
            settings = settings with { ZipkinEndpoint = Blank(SpecTree.String(zipkin, "endpointAddress")) };
        }

        return settings;
    }

    private static double Rate(ResourceDocument document, object tracing)
    {
        var text = SpecTree.String(tracing, "samplingRate");
        if (string.IsNullOrWhiteSpace(text))
        {
            return 0;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) || rate is < 0 or > 1)
        {
            throw new ResourceLoadException(
                $"{YamlLocation.Of(document, "spec", "tracing", "samplingRate")}: spec.tracing.samplingRate '{text}' is not a number between 0 and 1");
        }

        return rate;
    }

    /// <summary>An empty address is no exporter, as daprd treats it.</summary>
    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static ResourceLoadException Invalid(ResourceDocument document, string otelKey, string message) =>
        new($"{YamlLocation.Of(document, "spec", "tracing", "otel", otelKey)}: {message}");
}
