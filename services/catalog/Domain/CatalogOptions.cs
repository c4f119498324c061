namespace Catalog.Domain;

/// <summary>Settings of section <c>Catalog</c>.</summary>
public sealed class CatalogOptions
{
    public const string SectionName = "Catalog";

    /// <summary>
    /// Attempts of one ETag-guarded write before giving up with 503. Each failed attempt means another writer
    /// succeeded, so a bound above the expected burst of writers to one item never turns contention into errors.
    /// </summary>
    public int MaxWriteAttempts { get; set; } = 32;
}
