using Sidecar.Components;
using Sidecar.Hosting;

namespace Sidecar.Secrets;

/// <summary>Registers the secrets building block; a malformed <c>spec.secrets</c> fails the start.</summary>
internal static class SecretsRegistration
{
    public static IServiceCollection AddSecretsBuildingBlock(this IServiceCollection services)
    {
        services.TryAddSingleton(sp => SecretScopes.From(sp.GetRequiredService<ResourceSet>(), sp.GetRequiredService<SidecarOptions>()));
        services.TryAddSingleton<ISecretsApi, SecretsApi>();
        services.AddHostedService<SecretsStartup>();
        return services;
    }

    /// <summary>
    /// Reads the scopes when the host starts, before the ports serve: the host creates its hosted services at start, and
    /// creating this one creates <see cref="SecretScopes"/>, so a malformed scope fails the start, not the first call.
    /// </summary>
    private sealed class SecretsStartup(SecretScopes scopes) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            _ = scopes;
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
