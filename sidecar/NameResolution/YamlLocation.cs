using YamlDotNet.RepresentationModel;
using Sidecar.Components;

namespace Sidecar.NameResolution;

/// <summary>
/// The line of a key inside a resource document, for error messages: the loader keeps only the document's line, and a
/// person fixing <c>spec.nameResolution.component</c> wants to land on that line.
/// </summary>
internal static class YamlLocation
{
    /// <summary>
    /// <c>file:line</c> of the deepest key of <paramref name="path"/> found in <paramref name="document"/> (keys compared
    /// case-insensitively, as daprd decodes configuration); the document's own line when none is found.
    /// </summary>
    public static string Of(ResourceDocument document, params string[] path)
    {
        var line = (long)document.Line;
        try
        {
            var stream = new YamlStream();
            using (var reader = new StreamReader(document.SourceFile))
            {
                stream.Load(reader);
            }

            YamlNode? node = stream.Documents.Select(d => d.RootNode).FirstOrDefault(r => r.Start.Line == document.Line);
            foreach (var key in path)
            {
                var child = (node as YamlMappingNode)?.Children.FirstOrDefault(c =>
                    string.Equals((c.Key as YamlScalarNode)?.Value, key, StringComparison.OrdinalIgnoreCase));
                if (child?.Key is null)
                {
                    break;
                }

                line = child.Value.Key.Start.Line;
                node = child.Value.Value;
            }
        }
        catch (Exception e) when (e is IOException or YamlDotNet.Core.YamlException)
        {
            // The file was read once already; if it cannot be read again, the document's line still points close.
        }

        return $"{document.SourceFile}:{line}";
    }
}
