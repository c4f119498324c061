namespace Sidecar.AppChannel.Resiliency;

/// <summary>
/// Finds the line of a setting inside a resource file for error messages: the spec reaches the readers as a plain tree
/// without positions, so the file is read again from the document's first line.
/// </summary>
internal static class SourceLines
{
    /// <summary><c>file:line</c> of the first <c>key: value</c> line at or after the document's start; the document's own location when not found.</summary>
    public static string Find(ResiliencyDocument document, string key, string value)
    {
        if (document.Line <= 0 || !File.Exists(document.SourceFile))
        {
            return document.Location;
        }

        var lines = File.ReadAllLines(document.SourceFile);
        for (var i = document.Line - 1; i < lines.Length; i++)
        {
            var line = lines[i].TrimStart();
            if (line.StartsWith(key + ":", StringComparison.Ordinal) && line.Contains(value, StringComparison.Ordinal))
            {
                return $"{document.SourceFile}:{i + 1}";
            }
        }

        return document.Location;
    }
}
