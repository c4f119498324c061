using Deploy.Tests.Support;

namespace Deploy.Tests.Sources;

/// <summary>One app of <c>dapr.yaml</c>.</summary>
internal sealed record RunFileApp(string AppId, string AppPort, string AppDirPath);

/// <summary>What <c>dapr.yaml</c> (the local multi-app run file) says: the source of truth for app ids, ports and health settings.</summary>
internal sealed record RunFile(IReadOnlyDictionary<string, RunFileApp> Apps, IReadOnlyDictionary<string, string> Common)
{
    public const string Path = "dapr.yaml";

    public static RunFile Read(RepoFiles files)
    {
        var root = YamlNodes.ParseDocuments(files.Read(Path)).Single();
        var apps = root.Child("apps").Items()
            .Select(a => new RunFileApp(a.Child("appID").Text() ?? "", a.Child("appPort").Text() ?? "", a.Child("appDirPath").Text() ?? ""))
            .ToDictionary(a => a.AppId, StringComparer.Ordinal);
        var common = root.Child("common").Entries()
            .Where(e => e.Value.Text() is not null)
            .ToDictionary(e => e.Key, e => e.Value.Text()!, StringComparer.Ordinal);
        return new RunFile(apps, common);
    }
}
