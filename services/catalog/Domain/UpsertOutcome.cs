namespace Catalog.Domain;

/// <summary>What <c>PUT /items/{id}</c> came to.</summary>
public enum UpsertOutcome
{
    Created,
    Replaced,
}
