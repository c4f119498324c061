namespace EndToEnd.Tests.Infrastructure;

/// <summary>A temporary folder holding a run file and app folders, deleted when disposed.</summary>
public sealed class TempRunFolder : IDisposable
{
    public TempRunFolder()
    {
        Path = Directory.CreateTempSubdirectory("dapr-local-run-").FullName;
    }

    public string Path { get; }

    public string RunFilePath => System.IO.Path.Combine(Path, "dapr.yaml");

    /// <summary>Writes <c>dapr.yaml</c>; returns its path.</summary>
    public string WriteRunFile(string yaml)
    {
        File.WriteAllText(RunFilePath, yaml);
        return RunFilePath;
    }

    /// <summary>Creates a folder (and parents) under the run folder; returns its full path.</summary>
    public string Folder(string relative) => Directory.CreateDirectory(System.IO.Path.Combine(Path, relative)).FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Something still holds a file; the OS temp cleaner takes it.
        }
    }
}
