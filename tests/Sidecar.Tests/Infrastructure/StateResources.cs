namespace Sidecar.Tests.Infrastructure;

/// <summary>Resource folders with state stores of the kinds the state tests need.</summary>
public static class StateResources
{
    /// <summary>A <c>state.sqlite</c> store named <c>statestore</c> over <paramref name="databaseFile"/> (relative to the data directory).</summary>
    public static ResourcesFolder Sqlite(string databaseFile = "state.db", string? keyPrefix = null) => new(("statestore.yaml", $"""
        apiVersion: dapr.io/v1alpha1
        kind: Component
        metadata:
          name: statestore
        spec:
          type: state.sqlite
          version: v1
          metadata:
            - name: databaseFile
              value: "{databaseFile}"
            - name: actorStateStore
              value: "true"
            - name: keyPrefix
              value: "{keyPrefix ?? "appid"}"
        """));

    /// <summary>A store named <c>statestore</c> of <paramref name="type"/> with <paramref name="metadata"/> (null values left out).</summary>
    public static ResourcesFolder Store(string type, IEnumerable<KeyValuePair<string, string?>> metadata)
    {
        var items = string.Concat(metadata.Where(m => m.Value is not null)
            .Select(m => $"\n    - name: {m.Key}\n      value: \"{m.Value}\""));
        return new(("statestore.yaml", $"""
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: statestore
            spec:
              type: {type}
              version: v1
              metadata:{items}
            """));
    }

    /// <summary>A <c>state.redis</c> store named <c>statestore</c> (as in the repository's <c>components/</c>).</summary>
    public static ResourcesFolder Redis() => new(("statestore.yaml", """
        apiVersion: dapr.io/v1alpha1
        kind: Component
        metadata:
          name: statestore
        spec:
          type: state.redis
          version: v1
          metadata:
            - name: redisHost
              value: localhost:6379
            - name: actorStateStore
              value: "true"
        """));
}
