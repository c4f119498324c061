namespace Sidecar.NameResolution;

/// <summary>Where one call to an app goes: a sidecar of this process, or one reached over the network.</summary>
public abstract record ResolvedTarget(string Key);

/// <summary>A sidecar of this process: its app is called through that sidecar's own app channel.</summary>
public sealed record LocalTarget(string Key, IServiceProvider Services) : ResolvedTarget(Key);

/// <summary>A sidecar of another process, found in the registry.</summary>
public sealed record RemoteTarget(AppInstance Instance) : ResolvedTarget(Instance.RegistrationId);
