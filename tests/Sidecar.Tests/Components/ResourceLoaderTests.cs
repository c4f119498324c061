using Sidecar.Components;
using Sidecar.Hosting;
using Sidecar.Tests.Infrastructure;

namespace Sidecar.Tests.Components;

public sealed class ResourceLoaderTests
{
    private static ResourceSet Load(ResourcesFolder folder, string appId = "app") =>
        ResourceLoader.Load(new SidecarOptions { AppId = appId, ResourcesPaths = [folder.Path] });

    [Fact]
    public void Load_MultiDocumentFile_ReadsComponentsAndOtherKinds()
    {
        using var folder = new ResourcesFolder(("all.yaml", """
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: statestore
            spec:
              type: state.in-memory
              version: v1
              metadata:
                - name: actorStateStore
                  value: "true"
                - name: keyPrefix
                  value: name
            ---
            apiVersion: dapr.io/v2alpha1
            kind: Subscription
            metadata:
              name: orders-sub
            spec:
              pubsubname: pubsub
              topic: orders
              routes:
                rules:
                  - match: event.type == "order.cancelled"
                    path: /cancelled
                default: /orders
            scopes:
              - notifications
            ---
            """));

        var resources = Load(folder, "notifications");

        var component = Assert.Single(resources.Components);
        Assert.Equal(("statestore", "state.in-memory", "v1"), (component.Name, component.Type, component.Version));
        Assert.Equal("true", component.Get("actorStateStore"));
        Assert.Equal("name", component.Get("keyPrefix"));
        var subscription = Assert.Single(resources.OfKind("Subscription"));
        Assert.Equal(("orders-sub", "dapr.io/v2alpha1", 14), (subscription.Name, subscription.ApiVersion, subscription.Line));
        var routes = Assert.IsType<IReadOnlyDictionary<string, object?>>(subscription.Spec["routes"], exactMatch: false);
        var rule = Assert.IsType<IReadOnlyDictionary<string, object?>>(Assert.Single(Assert.IsType<List<object?>>(routes["rules"])), exactMatch: false);
        Assert.Equal("/cancelled", rule["path"]);
        Assert.Equal("/orders", routes["default"]);
    }

    [Fact]
    public void Load_ScopedComponentAndDocument_AppliesOnlyToListedApps()
    {
        using var folder = new ResourcesFolder(("pubsub.yml", """
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: pubsub
            spec:
              type: pubsub.in-memory
            scopes: [catalog, orders]
            ---
            kind: Subscription
            metadata:
              name: s
            spec: {}
            scopes: [orders]
            """));

        Assert.Empty(Load(folder, "payments").Components);
        Assert.Empty(Load(folder, "catalog").OfKind("Subscription"));
        Assert.Single(Load(folder, "orders").OfKind("Subscription"));
        Assert.Equal("v1", Assert.Single(Load(folder, "catalog").Components).Version);
    }

    [Fact]
    public void Load_MalformedYaml_NamesFileAndLine()
    {
        using var folder = new ResourcesFolder(("broken.yaml", "kind: Component\nmetadata:\n  name: x\n   bad: [\n"));

        var ex = Assert.Throws<ResourceLoadException>(() => Load(folder));

        Assert.StartsWith(Path.Combine(folder.Path, "broken.yaml") + ":", ex.Message, StringComparison.Ordinal);
        Assert.Contains("malformed YAML", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ComponentWithoutType_NamesFileLineAndComponent()
    {
        using var folder = new ResourcesFolder(("statestore.yaml", """
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: ok
            spec:
              type: state.in-memory
            ---
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: statestore
            spec:
              version: v1
            """));

        var ex = Assert.Throws<ResourceLoadException>(() => Load(folder));

        Assert.Equal($"{Path.Combine(folder.Path, "statestore.yaml")}:13: component 'statestore' has no 'spec.type'", ex.Message);
    }

    [Fact]
    public void Load_ResourceWithoutName_NamesFileAndLine()
    {
        using var folder = new ResourcesFolder(("resiliency.yaml", "\n\nkind: Resiliency\nmetadata: {}\nspec: {}\n"));

        var ex = Assert.Throws<ResourceLoadException>(() => Load(folder));

        Assert.Equal($"{Path.Combine(folder.Path, "resiliency.yaml")}:3: the Resiliency has no 'metadata.name'", ex.Message);
    }

    [Fact]
    public void Load_SecretKeyRef_IsKeptWithTheComponentsSecretStore()
    {
        using var folder = new ResourcesFolder(("redis.yaml", """
            kind: Component
            metadata:
              name: statestore
            spec:
              type: state.redis
              metadata:
                - name: redisPassword
                  secretKeyRef:
                    name: redis
                    key: password
            auth:
              secretStore: localsecrets
            """));

        var component = Assert.Single(Load(folder).Components);

        Assert.Equal(new SecretKeyRef("redis", "password", 9), component.SecretRefs["redisPassword"]);
        Assert.Equal("localsecrets", component.SecretStore);
        Assert.False(component.IgnoreErrors);
    }

    [Fact]
    public void Load_SecretKeyRefWithoutName_FailsNamingTheLine()
    {
        using var folder = new ResourcesFolder(("redis.yaml", """
            kind: Component
            metadata:
              name: statestore
            spec:
              type: state.redis
              metadata:
                - name: redisPassword
                  secretKeyRef:
                    key: password
            """));

        var ex = Assert.Throws<ResourceLoadException>(() => Load(folder));

        Assert.Equal($"{Path.Combine(folder.Path, "redis.yaml")}:9: 'secretKeyRef' of metadata 'redisPassword' of component 'statestore' needs a 'name' (and optionally a 'key')", ex.Message);
    }

    [Fact]
    public void Load_SameNameTwiceForOneApp_IsRefused()
    {
        using var folder = new ResourcesFolder(
            ("a.yaml", "kind: Component\nmetadata:\n  name: statestore\nspec:\n  type: state.in-memory\n"),
            ("b.yaml", "kind: Component\nmetadata:\n  name: statestore\nspec:\n  type: state.sqlite\n"));

        var ex = Assert.Throws<ResourceLoadException>(() => Load(folder));

        Assert.Contains("component 'statestore' is already defined at", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ConfigFile_IsReadAsAConfigurationDocument()
    {
        using var folder = new ResourcesFolder(("config.yaml", """
            apiVersion: dapr.io/v1alpha1
            kind: Configuration
            metadata:
              name: daprConfig
            spec:
              tracing:
                samplingRate: "1"
            """));

        var resources = ResourceLoader.Load(new SidecarOptions { AppId = "app", ConfigFile = Path.Combine(folder.Path, "config.yaml") });

        var configuration = Assert.Single(resources.OfKind("Configuration"));
        var tracing = Assert.IsType<IReadOnlyDictionary<string, object?>>(configuration.Spec["tracing"], exactMatch: false);
        Assert.Equal("1", tracing["samplingRate"]);
    }
}
