using System.Text.RegularExpressions;

namespace EndToEnd.Tests.Infrastructure;

/// <summary>
/// A temporary copy of the repository's <c>components/</c> that differs only in <c>redisHost</c>, so a run can use a
/// test's own redis-server (never the one on 6379) with every other line of the components as they are.
/// </summary>
public sealed partial class RedisComponents : IDisposable
{
    private RedisComponents(string path) => Path = path;

    /// <summary>The folder to pass as <c>--resources-path</c>.</summary>
    public string Path { get; }

    /// <summary>Copies <c>components/</c> with every <c>redisHost</c> value set to <paramref name="redisHost"/>.</summary>
    public static RedisComponents For(string redisHost)
    {
        var path = Directory.CreateTempSubdirectory("components-redis-").FullName;
        var replaced = 0;
        foreach (var file in Directory.EnumerateFiles(System.IO.Path.Combine(RepoRoot.Path, "components")))
        {
            var text = RedisHostValue().Replace(File.ReadAllText(file), m =>
            {
                replaced++;
                return m.Groups[1].Value + redisHost;
            });
            File.WriteAllText(System.IO.Path.Combine(path, System.IO.Path.GetFileName(file)), text);
        }

        if (replaced == 0)
        {
            throw new InvalidOperationException("components/ has no redisHost to point at the test's Redis");
        }

        return new RedisComponents(path);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // The OS temp cleaner takes it.
        }
    }

    [GeneratedRegex(@"(-\s*name:\s*redisHost\s*\n\s*value:\s*)(\S+)")]
    private static partial Regex RedisHostValue();
}
