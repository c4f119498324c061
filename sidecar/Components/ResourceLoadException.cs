namespace Sidecar.Components;

/// <summary>A resource file cannot be used; the message starts with <c>file:line:</c> so a person can go and fix it.</summary>
public sealed class ResourceLoadException : Exception
{
    public ResourceLoadException(string message) : base(message)
    {
    }

    public ResourceLoadException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public ResourceLoadException()
    {
    }

    /// <summary>An error at <paramref name="file"/>:<paramref name="line"/>.</summary>
    public static ResourceLoadException At(string file, long line, string message) => new($"{file}:{line}: {message}");
}
