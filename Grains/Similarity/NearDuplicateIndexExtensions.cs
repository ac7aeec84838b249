using Lineage.Runtime.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Lineage.Grains.Similarity;

/// <summary>Registers the near-duplicate index on a silo.</summary>
public static class NearDuplicateIndexExtensions
{
    /// <summary>Adds <see cref="NearDuplicateIndex"/> (a singleton any grain can inject) with its options; <paramref name="configure"/>
    /// runs after whatever the host binds (e.g. section <see cref="NearDuplicateIndexOptions.SectionName"/>).</summary>
    public static SiloBuilder AddNearDuplicateIndex(this SiloBuilder builder, Action<NearDuplicateIndexOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<NearDuplicateIndexOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.Validate(o =>
        {
            o.Validate();
            return true;
        });
        builder.Services.TryAddSingleton<NearDuplicateIndex>();
        return builder;
    }
}
