using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Sidecar.Runner;

/// <summary>
/// Reads a run file strictly: malformed YAML, a key nobody knows (a typo such as <c>appId</c>) or a value of the wrong
/// type is an error naming file:line. The Dapr CLI silently ignores unknown keys; failing fast is safer here because a
/// misspelt key would otherwise run the app with a default the author did not choose.
/// </summary>
internal static class RunFileLoader
{
    private delegate RunFileSection Setter(RunFileSection section, YamlNode value, Reader reader);

    // Declared before the key tables: static fields initialise in order.
    private static readonly string[] LogDestinations = ["console", "file", "fileAndConsole"];

    /// <summary>Keys of <c>common</c> and of every app.</summary>
    private static readonly Dictionary<string, Setter> SharedKeys = new(StringComparer.Ordinal)
    {
        ["appProtocol"] = (s, v, r) => s with { AppProtocol = r.OneOf(v, "http", "https", "grpc", "grpcs", "h2c") },
        ["env"] = (s, v, r) => s with { Env = r.Map(v) },
        ["resourcesPaths"] = (s, v, r) => s with { ResourcesPaths = r.List(v) },
        ["resourcesPath"] = (s, v, r) => s with { ResourcesPaths = [r.String(v)] },
        ["configFilePath"] = (s, v, r) => s with { ConfigFilePath = r.String(v) },
        ["enableAppHealthCheck"] = (s, v, r) => s with { EnableAppHealthCheck = r.Bool(v) },
        ["appHealthCheckPath"] = (s, v, r) => s with { AppHealthCheckPath = r.String(v) },
        ["appHealthProbeInterval"] = (s, v, r) => s with { AppHealthProbeInterval = r.Int(v, min: 1) },
        ["appHealthProbeTimeout"] = (s, v, r) => s with { AppHealthProbeTimeout = r.Int(v, min: 1) },
        ["appHealthThreshold"] = (s, v, r) => s with { AppHealthThreshold = r.Int(v, min: 1) },
        ["appMaxConcurrency"] = (s, v, r) => s with { AppMaxConcurrency = r.Int(v, min: int.MinValue) },
        ["maxBodySize"] = (s, v, r) => s with { MaxBodySize = r.Quantity(v) },
        ["daprHTTPMaxRequestSize"] = (s, v, r) => s with { DaprHttpMaxRequestSize = r.Int(v, min: int.MinValue) },
        ["logLevel"] = (s, v, r) => s with { LogLevel = r.OneOf(v, "debug", "info", "warn", "error", "fatal") },
        ["appLogDestination"] = (s, v, r) => s with { AppLogDestination = r.OneOf(v, LogDestinations) },
        ["daprdLogDestination"] = (s, v, r) => s with { DaprdLogDestination = r.OneOf(v, LogDestinations) },
    };

    /// <summary>Keys only an app may have.</summary>
    private static readonly Dictionary<string, Setter> AppKeys = new(StringComparer.Ordinal)
    {
        ["appDirPath"] = (s, v, r) => s with { AppDirPath = r.String(v) },
        ["appID"] = (s, v, r) => s with { AppId = r.String(v) },
        ["appPort"] = (s, v, r) => s with { AppPort = r.Port(v) },
        ["daprHTTPPort"] = (s, v, r) => s with { DaprHttpPort = r.Port(v) },
        ["daprGRPCPort"] = (s, v, r) => s with { DaprGrpcPort = r.Port(v) },
        ["metricsPort"] = (s, v, r) => s with { MetricsPort = r.Port(v) },
        ["command"] = (s, v, r) => s with { Command = r.List(v) },
    };

    /// <summary>Keys the Dapr CLI accepts that have no meaning for an in-process sidecar.</summary>
    private static readonly HashSet<string> IgnoredKeys = new(StringComparer.Ordinal)
    {
        "apiListenAddresses", "enableProfiling", "placementHostAddress", "schedulerHostAddress",
        "appSSL", "daprHTTPReadBufferSize", "readBufferSize", "enableApiLogging", "runtimePath",
        "appChannelAddress", "profilePort", "unixDomainSocket", "daprInternalGRPCPort",
        "containerImage", "containerImagePullPolicy", "createService",
    };

    /// <summary>Loads <paramref name="path"/>; throws <see cref="RunFileException"/> naming file:line when it is wrong.</summary>
    public static RunFile Load(string path)
    {
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new RunFileException($"{fullPath}: run file not found");
        }

        using var text = File.OpenText(fullPath);
        return Parse(fullPath, text);
    }

    /// <summary>Parses run-file YAML; <paramref name="path"/> names the file in errors and anchors relative paths.</summary>
    public static RunFile Parse(string path, TextReader text)
    {
        var reader = new Reader(path);
        var stream = new YamlStream();
        try
        {
            stream.Load(text);
        }
        catch (YamlException e)
        {
            throw new RunFileException($"{path}:{e.Start.Line}: malformed YAML: {OneLine(e.InnerException?.Message ?? e.Message)}");
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new RunFileException($"{path}:1: a run file is a mapping with 'version: 1' and 'apps'");
        }

        int? version = null;
        var common = new RunFileSection { Line = (int)root.Start.Line };
        List<RunFileSection>? apps = null;
        var warnings = new List<string>();
        foreach (var (keyNode, value) in root.Children)
        {
            var key = reader.String(keyNode);
            switch (key)
            {
                case "version": version = reader.Int(value, min: 1); break;
                case "name": break;
                case "common": common = reader.Section(value, SharedKeys, null, warnings); break;
                case "apps": apps = reader.Apps(value, warnings); break;
                default: throw reader.Error(keyNode, $"unknown key '{key}' (expected version, common, apps)");
            }
        }

        if (version != 1)
        {
            throw new RunFileException(version is null
                ? $"{path}:{root.Start.Line}: 'version: 1' is required"
                : $"{path}:{root.Start.Line}: unsupported run file version {version} (only 1 is supported)");
        }

        if (apps is null || apps.Count == 0)
        {
            throw new RunFileException($"{path}:{root.Start.Line}: 'apps' must list at least one app");
        }

        return new RunFile(path, version.Value, common, apps) { Warnings = warnings };
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();

    /// <summary>Typed reads of YAML nodes, each failing with file:line.</summary>
    private sealed class Reader(string path)
    {
        public RunFileException Error(YamlNode node, string message) => new($"{path}:{node.Start.Line}: {message}");

        public List<RunFileSection> Apps(YamlNode node, List<string> warnings)
        {
            if (node is not YamlSequenceNode sequence)
            {
                throw Error(node, "'apps' must be a list");
            }

            var keys = new Dictionary<string, Setter>(SharedKeys, StringComparer.Ordinal);
            foreach (var (key, setter) in AppKeys)
            {
                keys[key] = setter;
            }

            var apps = sequence.Children.Select(app => Section(app, keys, "appDirPath", warnings)).ToList();
            return apps;
        }

        public RunFileSection Section(YamlNode node, Dictionary<string, Setter> keys, string? requiredKey, List<string> warnings)
        {
            if (node is not YamlMappingNode mapping)
            {
                throw Error(node, "expected a mapping of settings");
            }

            var section = new RunFileSection { Line = (int)node.Start.Line };
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (keyNode, value) in mapping.Children)
            {
                var key = String(keyNode);
                if (!seen.Add(key))
                {
                    throw Error(keyNode, $"duplicate key '{key}'");
                }

                if (keys.TryGetValue(key, out var setter))
                {
                    section = setter(section, value, this);
                }
                else if (IgnoredKeys.Contains(key))
                {
                    warnings.Add($"{path}:{keyNode.Start.Line}: '{key}' is ignored by the local sidecar");
                }
                else
                {
                    throw Error(keyNode, UnknownKey(key, keys));
                }
            }

            if (requiredKey is not null && !seen.Contains(requiredKey))
            {
                throw Error(node, $"'{requiredKey}' is required for every app");
            }

            return section;
        }

        private static string UnknownKey(string key, Dictionary<string, Setter> keys)
        {
            var hint = keys.Keys.FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase));
            if (hint is not null)
            {
                return $"unknown key '{key}' (did you mean '{hint}'?)";
            }

            return AppKeys.ContainsKey(key) ? $"'{key}' is only allowed in an app, not in 'common'" : $"unknown key '{key}'";
        }

        public string String(YamlNode node) => node is YamlScalarNode { Value: { } value }
            ? value
            : throw Error(node, "expected a single value");

        public int Int(YamlNode node, int min) =>
            int.TryParse(String(node), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min
                ? value
                : throw Error(node, $"expected a whole number >= {min}, got '{String(node)}'");

        public long Quantity(YamlNode node) =>
            Sidecar.Hosting.ByteQuantity.TryParse(String(node), out var bytes)
                ? bytes
                : throw Error(node, $"expected a size such as 4Mi, 512Ki or 1000000, got '{String(node)}'");

        public int Port(YamlNode node) =>
            int.TryParse(String(node), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value is > 0 and < 65536
                ? value
                : throw Error(node, $"expected a port (1-65535), got '{String(node)}'");

        public bool Bool(YamlNode node) => String(node).ToLowerInvariant() switch
        {
            "true" => true,
            "false" => false,
            var other => throw Error(node, $"expected true or false, got '{other}'"),
        };

        public string OneOf(YamlNode node, params string[] allowed)
        {
            var value = String(node);
            return allowed.FirstOrDefault(a => string.Equals(a, value, StringComparison.OrdinalIgnoreCase))
                ?? throw Error(node, $"expected one of {string.Join(", ", allowed)}, got '{value}'");
        }

        public List<string> List(YamlNode node) => node is YamlSequenceNode sequence
            ? [.. sequence.Children.Select(String)]
            : throw Error(node, "expected a list, e.g. [\"a\", \"b\"]");

        public Dictionary<string, string> Map(YamlNode node)
        {
            if (node is not YamlMappingNode mapping)
            {
                throw Error(node, "expected a mapping of NAME: value");
            }

            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (key, value) in mapping.Children)
            {
                if (!map.TryAdd(String(key), String(value)))
                {
                    throw Error(key, $"duplicate key '{String(key)}'");
                }
            }

            return map;
        }
    }
}
