namespace ServiceDefaults;

/// <summary>A request body that can tell what is wrong with it, field by field (empty when valid).</summary>
public interface IValidatable
{
    /// <summary>Errors keyed by camelCase field name; empty when the request is valid.</summary>
    IDictionary<string, string[]> Validate();
}
