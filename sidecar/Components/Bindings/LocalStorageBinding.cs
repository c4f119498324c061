using System.Text;
using System.Text.Json;

namespace Sidecar.Components.Bindings;

/// <summary>
/// <c>bindings.localstorage</c> (output): files under <c>rootPath</c> (relative paths from the folder daprd would run
/// in), named by the request's <c>fileName</c> metadata. <c>create</c> (no name: a new UUID) writes the data, first
/// unquoted when it is a quoted string and base64-decoded when it is valid base64, and answers
/// <c>{"fileName":"..."}</c>; <c>get</c> answers the bytes; <c>list</c> the absolute paths of the files below
/// <c>fileName</c> (or the root), <c>null</c> when none; <c>delete</c> answers nothing. A name never leaves the root:
/// <c>..</c> stops at it, as securejoin does.
/// </summary>
// dapr/components-contrib bindings/localstorage/localstorage.go
internal sealed class LocalStorageBinding(string rootPath) : IOutputBinding
{
    public const string Type = "bindings.localstorage";
    public const string FileName = "fileName";

    private static readonly string[] DisallowedRoots = ["/proc", "/sys", "/boot", "/var/run/secrets"];

    public IReadOnlyList<string> Operations { get; } = ["create", "get", "list", "delete"];

    public static LocalStorageBinding Create(ComponentContext context)
    {
        var root = BindingMetadata.Get(context.Definition, "rootPath")
            ?? throw new InvalidOperationException("failed to parse metadata: property rootPath must not be empty");
        var options = context.Services.GetRequiredService<Hosting.SidecarOptions>();
        var full = Path.GetFullPath(root, options.WorkingDirectory ?? Directory.GetCurrentDirectory()).TrimEnd(Path.DirectorySeparatorChar);
        if (full.Length == 0)
        {
            full = "/";
        }

        if (File.Exists(full))
        {
            throw new InvalidOperationException("failed to parse metadata: property rootPath represents a file and not a directory");
        }

        if (DisallowedRoots.Any(p => full == p || full.StartsWith(p + "/", StringComparison.Ordinal)))
        {
            throw new InvalidOperationException("failed to parse metadata: property rootPath points to a disallowed location");
        }

        try
        {
            Directory.CreateDirectory(full);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"unable to create directory specified by 'rootPath' {full}: {ex.Message}", ex);
        }

        return new LocalStorageBinding(full);
    }

    public Task<BindingResponse?> InvokeAsync(BindingRequest request, CancellationToken cancellationToken)
    {
        var fileName = request.Get(FileName) ?? (request.Operation == "create" ? Guid.NewGuid().ToString() : "");
        try
        {
            return Task.FromResult(request.Operation switch
            {
                "create" => Create(fileName, request.Data),
                "get" => Get(fileName),
                "delete" => Delete(fileName),
                "list" => List(fileName),
                _ => throw new BindingException($"unsupported operation {request.Operation}"),
            });
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new BindingException(ex.Message, inner: ex);
        }
    }

    private BindingResponse Create(string fileName, byte[] data)
    {
        data = Unquote(data);
        if (IsStrictBase64(data, out var decoded))
        {
            data = decoded;
        }

        var (absolute, relative) = Resolve(fileName);
        var directory = Path.GetDirectoryName(absolute)!;
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (IOException ex)
        {
            throw new BindingException($"error creating directory {directory}: {ex.Message}", inner: ex);
        }

        try
        {
            File.WriteAllBytes(absolute, data);
        }
        catch (IOException ex)
        {
            throw new BindingException($"error creating file {absolute}: {ex.Message}", inner: ex);
        }

        return BindingResponse.Of(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["fileName"] = relative }));
    }

    private BindingResponse Get(string fileName)
    {
        var (absolute, _) = Resolve(fileName);
        if (!File.Exists(absolute))
        {
            throw new BindingException(Directory.Exists(absolute)
                ? $"error reading file {absolute}: read {absolute}: is a directory"
                : $"file not found: {absolute}");
        }

        return BindingResponse.Of(File.ReadAllBytes(absolute));
    }

    private BindingResponse? Delete(string fileName)
    {
        var (absolute, _) = Resolve(fileName);
        if (File.Exists(absolute))
        {
            File.Delete(absolute);
            return null;
        }

        if (Directory.Exists(absolute) && !Directory.EnumerateFileSystemEntries(absolute).Any())
        {
            Directory.Delete(absolute);
            return null;
        }

        var reason = Directory.Exists(absolute) ? "directory not empty" : "no such file or directory";
        throw new BindingException($"error deleting file {absolute}: remove {absolute}: {reason}");
    }

    private BindingResponse List(string fileName)
    {
        var (absolute, _) = Resolve(fileName);
        if (File.Exists(absolute))
        {
            throw new BindingException($"unable to list files as the file specified is not a directory: {absolute}");
        }

        if (!Directory.Exists(absolute))
        {
            throw new BindingException($"error getting stats for path {absolute}: stat {absolute}: no such file or directory");
        }

        var files = new List<string>();
        Walk(absolute, files);
        return BindingResponse.Of(files.Count == 0 ? "null"u8.ToArray() : JsonSerializer.SerializeToUtf8Bytes(files));
    }

    /// <summary>Files below <paramref name="directory"/> in the lexical order of Go's <c>filepath.Walk</c>.</summary>
    private static void Walk(string directory, List<string> files)
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries(directory).Order(StringComparer.Ordinal))
        {
            if (Directory.Exists(entry))
            {
                Walk(entry, files);
            }
            else
            {
                files.Add(entry);
            }
        }
    }

    /// <summary>The absolute path of <paramref name="fileName"/> under the root, never outside it, and its relative form.</summary>
    private (string Absolute, string Relative) Resolve(string fileName)
    {
        var parts = new List<string>();
        foreach (var part in fileName.Replace('\\', '/').Split('/'))
        {
            switch (part)
            {
                case "" or ".":
                    break;
                case "..":
                    if (parts.Count > 0)
                    {
                        parts.RemoveAt(parts.Count - 1);
                    }

                    break;
                default:
                    parts.Add(part);
                    break;
            }
        }

        var absolute = parts.Count == 0 ? rootPath : Path.Combine([rootPath, .. parts]);
        return (absolute, Path.GetRelativePath(rootPath, absolute));
    }

    /// <summary>Go's <c>strconv.Unquote</c> for the quoted strings JSON data arrives as (<c>"..."</c>, <c>`...`</c>).</summary>
    private static byte[] Unquote(byte[] data)
    {
        if (data.Length >= 2 && data[0] == '`' && data[^1] == '`' && Array.IndexOf(data, (byte)'`', 1, data.Length - 2) < 0)
        {
            return data[1..^1];
        }

        if (data.Length >= 2 && data[0] == '"' && data[^1] == '"')
        {
            try
            {
                return Encoding.UTF8.GetBytes(JsonSerializer.Deserialize<string>(data) ?? "");
            }
            catch (JsonException)
            {
                return data;
            }
        }

        return data;
    }

    /// <summary>Go's <c>base64.StdEncoding.DecodeString</c> succeeds: padded standard alphabet, newlines ignored.</summary>
    private static bool IsStrictBase64(byte[] data, out byte[] decoded)
    {
        decoded = [];
        var text = Encoding.ASCII.GetString(data).Replace("\r", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal);
        if (text.Length % 4 != 0 || text.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '=')))
        {
            return false;
        }

        try
        {
            decoded = Convert.FromBase64String(text);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
