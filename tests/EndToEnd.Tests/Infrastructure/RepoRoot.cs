namespace EndToEnd.Tests.Infrastructure;

/// <summary>The repository checkout the tests run from: the first folder above the test output holding <c>Services.sln</c>.</summary>
public static class RepoRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(System.IO.Path.Combine(root.FullName, "Services.sln")))
        {
            root = root.Parent;
        }

        return root?.FullName ?? throw new InvalidOperationException("Services.sln not found above the test folder");
    }
}
