using Lineage.Dashboard.Reports;
using Lineage.Runtime;
using Lineage.Runtime.Cluster;
using Lineage.Runtime.Cluster.Membership;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Lineage.Dashboard.Cluster;

/// <summary>Asks every live silo for its figures in parallel, each with a deadline; dead and silent silos come back as such.</summary>
public sealed class ClusterCollector
{
    /// <summary>The key of the statistics grain on a silo that is not a cluster member (every key activates locally there).</summary>
    public const string LocalSilo = "local";

    private readonly IGrainFactory _grains;
    private readonly IClusterMembership? _membership;
    private readonly DashboardOptions _options;
    private readonly TimeProvider _time;

    /// <summary>Uses the membership view when the silo is a cluster member, else reports on this silo alone.</summary>
    public ClusterCollector(IGrainFactory grains, IServiceProvider services, IOptions<DashboardOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        _grains = grains;
        _membership = services.GetService<IClusterMembership>();
        _options = options.Value;
        _options.Validate();
        _time = time;
    }

    /// <summary>This silo's address, or <see cref="LocalSilo"/>.</summary>
    public string Self => _membership?.Self.ToString() ?? LocalSilo;

    /// <summary>Whether this silo is a cluster member.</summary>
    public bool Clustered => _membership is not null;

    /// <summary>The rate window, for the views.</summary>
    public double RateWindowSeconds => _options.RateWindow.TotalSeconds;

    /// <summary>Every silo (or only <paramref name="only"/>) with its report or the reason it has none.</summary>
    public async Task<IReadOnlyList<SiloResult>> CollectAsync(SiloReportQuery query, string? only = null)
    {
        var members = Members();
        if (only is not null)
        {
            members = members.Where(m => m.Address == only).ToList();
        }

        var results = await Task.WhenAll(members.Select(m => AskAsync(m, query)));
        return results;
    }

    private List<SiloResult> Members()
    {
        if (_membership is null)
        {
            return [new SiloResult(LocalSilo, Environment.MachineName, "active", null, null, null)];
        }

        var entries = _membership.Snapshot.Entries.OrderBy(e => e.Silo, SiloAddress.Order).ToList();

        // The table may not list this silo yet while it joins; it still answers for itself.
        if (!entries.Any(e => e.Silo == _membership.Self))
        {
            return [new SiloResult(_membership.Self.ToString(), Environment.MachineName, "joining", null, null, null),
                .. entries.Select(Member)];
        }

        return entries.Select(Member).ToList();
    }

    private static SiloResult Member(MembershipEntry entry) =>
        new(entry.Silo.ToString(), entry.HostName, StatusName(entry.Status), entry.StartedAt, null, entry.Status == SiloStatus.Dead ? "dead" : null);

    private async Task<SiloResult> AskAsync(SiloResult member, SiloReportQuery query)
    {
        if (member.Status == "dead")
        {
            return member;
        }

        try
        {
            var report = await _grains.GetGrain<ISiloStatisticsGrain>(member.Address).GetReport(query).WaitAsync(_options.SiloTimeout, _time);
            return member with { Report = report };
        }
        catch (TimeoutException)
        {
            return member with { Problem = $"did not answer within {_options.SiloTimeout.TotalSeconds:0.#} s" };
        }
        catch (Exception e)
        {
            // Whatever went wrong with one silo, the page shows the others and says what happened to this one.
            return member with { Problem = e.Message };
        }
    }

    /// <summary>The status as the API and the page spell it.</summary>
    public static string StatusName(SiloStatus status) => status switch
    {
        SiloStatus.Joining => "joining",
        SiloStatus.Active => "active",
        SiloStatus.ShuttingDown => "shutting-down",
        _ => "dead",
    };
}
