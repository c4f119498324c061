using System.Text.Json;
using System.Text.RegularExpressions;
using Deploy.Tests.Sources;
using Deploy.Tests.Support;

namespace Deploy.Tests.Checks;

/// <summary>
/// Every <c>Section__Key</c> variable a Deployment sets is a configuration key its service reads: in its
/// appsettings.json, as a <c>"Section:Key"</c> literal in its code or ServiceDefaults, or as a property of an options
/// class bound to the section. A misspelt variable is otherwise ignored silently at run time.
/// </summary>
internal static class ConfigKeyCheck
{
    private const string SharedDirectory = "services/service-defaults";

    public static IReadOnlyList<string> Run(RepoFiles files, Rendered rendered)
    {
        var problems = new Problems();
        foreach (var workload in Workload.In(rendered))
        {
            var env = workload.Container.Child("env").Items();
            for (var i = 0; i < env.Count; i++)
            {
                var name = env[i].Child("name").Text() ?? "";
                if (!name.Contains("__", StringComparison.Ordinal))
                {
                    continue;
                }

                var key = name.Split("__");
                if (!IsRead(files, workload.AppId, key))
                {
                    problems.Add(workload.File, workload.ContainerField($"env[{i}].name"), $"is \"{name}\", but services/{workload.AppId} reads no configuration key {string.Join(':', key)}");
                }
            }
        }

        return problems.Lines;
    }

    private static bool IsRead(RepoFiles files, string appId, string[] key)
    {
        var directory = $"services/{appId}";
        var settings = $"{directory}/appsettings.json";
        if (files.Exists(settings) && HasPath(JsonDocument.Parse(files.Read(settings)).RootElement, key))
        {
            return true;
        }

        var literal = $"\"{string.Join(':', key)}\"";
        var sources = files.Paths
            .Where(p => (p.StartsWith(directory + "/", StringComparison.Ordinal) || p.StartsWith(SharedDirectory + "/", StringComparison.Ordinal)) && p.EndsWith(".cs", StringComparison.Ordinal))
            .Select(files.Read);
        return sources.Any(source =>
            source.Contains(literal, StringComparison.OrdinalIgnoreCase) ||
            (key.Length == 2 &&
             Regex.IsMatch(source, $@"SectionName\s*=\s*""{Regex.Escape(key[0])}""", RegexOptions.IgnoreCase) &&
             Regex.IsMatch(source, $@"\b{Regex.Escape(key[1])}\s*\{{\s*get;", RegexOptions.IgnoreCase)));
    }

    private static bool HasPath(JsonElement element, string[] key)
    {
        foreach (var segment in key)
        {
            var match = element.ValueKind == JsonValueKind.Object
                ? element.EnumerateObject().FirstOrDefault(p => string.Equals(p.Name, segment, StringComparison.OrdinalIgnoreCase))
                : default;
            if (match.Value.ValueKind == JsonValueKind.Undefined)
            {
                return false;
            }

            element = match.Value;
        }

        return true;
    }
}
