using System.Globalization;
using Sidecar.AppChannel.Resources;
using Sidecar.Components;
using Sidecar.Hosting;

namespace Sidecar.NameResolution;

/// <summary>
/// Reads <c>spec.nameResolution</c> of the sidecar's Configuration (<c>--config</c>). <c>sqlite</c> names the registry
/// file (<c>connectionString</c>) and its timings, as components-contrib's <c>nameresolution.sqlite</c> does; <c>mdns</c>
/// (daprd's self-hosted default) is served by the default SQLite registry, since finding sidecars on one machine is
/// all mDNS does here. Anything else fails the start naming the file and line.
/// </summary>
internal static class NameResolutionConfiguration
{
    private static readonly string[] Supported = ["mdns", "sqlite"];

    /// <summary>
    /// The settings this sidecar uses: the Configuration's, else the default registry
    /// (<see cref="SidecarOptions.NameRegistryFile"/>); null when neither exists (only sidecars of this process are
    /// found). <paramref name="notice"/> says how an <c>mdns</c> configuration was served.
    /// </summary>
    public static NameResolutionSettings? Read(SidecarOptions options, ResourceSet resources, out string? notice)
    {
        notice = null;
        var defaults = options.NameRegistryFile is { } file ? NameResolutionSettings.For(file) : null;
        var document = resources.AppliedConfiguration(options.ConfigFile);
        var spec = SpecTree.From(document?.Spec);
        if (document is null || SpecTree.Child(spec, "nameResolution") is not { } nameResolution)
        {
            return defaults;
        }

        var component = SpecTree.String(nameResolution, "component")?.Trim() ?? "";
        var version = SpecTree.String(nameResolution, "version");
        if (!string.IsNullOrEmpty(version) && version != "v1")
        {
            throw Invalid(document, ["spec", "nameResolution", "version"], $"nameResolution version '{version}' is not supported (only v1)");
        }

        if (component.Equals("mdns", StringComparison.OrdinalIgnoreCase))
        {
            notice = defaults is null
                ? $"nameResolution 'mdns' ({document.SourceFile}): only sidecars of this process are found (no registry file)"
                : $"nameResolution 'mdns' ({document.SourceFile}): served by the SQLite registry {defaults.DatabaseFile}, not multicast DNS";
            return defaults;
        }

        if (!component.Equals("sqlite", StringComparison.OrdinalIgnoreCase))
        {
            throw Invalid(document, ["spec", "nameResolution", "component"],
                $"nameResolution component '{component}' is not supported by the local sidecar (supported: {string.Join(", ", Supported)})");
        }

        return ReadSqlite(document, SpecTree.Map(nameResolution, "configuration"));
    }

    private static NameResolutionSettings ReadSqlite(ResourceDocument document, IReadOnlyDictionary<string, object?>? configuration)
    {
        string[] at = ["spec", "nameResolution", "configuration"];
        string? connectionString = null;
        var updateInterval = NameResolutionSettings.DefaultUpdateInterval;
        var timeout = NameResolutionSettings.DefaultTimeout;
        foreach (var (key, value) in configuration ?? new Dictionary<string, object?>())
        {
            var text = value as string ?? "";
            string[] where = [.. at, key];
            switch (key.ToLowerInvariant())
            {
                case "connectionstring" or "url": connectionString = text; break;
                case "updateinterval": updateInterval = Duration(document, where, key, text); break;
                case "timeout" or "timeoutinseconds": timeout = Duration(document, where, key, text); break;
                default:
                    throw Invalid(document, where,
                        $"nameResolution sqlite option '{key}' is not supported by the local sidecar (supported: connectionString, updateInterval, timeout)");
            }
        }

        var file = DatabaseFile(connectionString)
            ?? throw Invalid(document, at, "nameResolution sqlite needs configuration.connectionString: the registry file, e.g. ~/.dapr/nr.db (an in-memory database cannot reach other sidecars)");
        if (timeout < TimeSpan.FromSeconds(1))
        {
            throw Invalid(document, [.. at, "timeout"], $"nameResolution sqlite timeout must be at least 1s, not {timeout.TotalSeconds}s");
        }

        if (updateInterval.Ticks % TimeSpan.TicksPerSecond != 0 || updateInterval - timeout < TimeSpan.FromSeconds(1))
        {
            throw Invalid(document, [.. at, "updateInterval"],
                "nameResolution sqlite updateInterval must be whole seconds and at least 1s more than timeout");
        }

        return new NameResolutionSettings(file, updateInterval, timeout);
    }

    /// <summary>
    /// The file of a contrib-style connection string: a path or a <c>file:</c> URI, its <c>?</c> options (Go driver
    /// pragmas) dropped. Null for none or an in-memory database.
    /// </summary>
    private static string? DatabaseFile(string? connectionString)
    {
        var path = connectionString?.Trim() ?? "";
        if (path.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            path = path["file:".Length..];
        }

        path = path.Split('?', 2)[0];
        if (path.Length == 0 || path.StartsWith(":memory:", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (path == "~" || path.StartsWith("~/", StringComparison.Ordinal))
        {
            path = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) + path[1..];
        }

        return Path.GetFullPath(path);
    }

    private static TimeSpan Duration(ResourceDocument document, string[] where, string key, string text)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(seconds);
        }

        try
        {
            return GoDuration.Parse(text, $"nameResolution sqlite {key}");
        }
        catch (FormatException e)
        {
            throw Invalid(document, where, e.Message);
        }
    }

    private static ResourceLoadException Invalid(ResourceDocument document, string[] path, string message) =>
        new($"{YamlLocation.Of(document, path)}: {message}");
}
