using Lineage.Dashboard.Reports;

namespace Lineage.Dashboard.Cluster;

/// <summary>What the dashboard learned about one silo: its membership row and either its report or why there is none.</summary>
/// <param name="Address">"host:port@generation", or "local" outside a cluster.</param>
/// <param name="Host">The machine's name from the membership table.</param>
/// <param name="Status">joining, active, shutting-down or dead.</param>
/// <param name="StartedAt">When the silo started, from the membership table.</param>
/// <param name="Report">Its figures; null when dead or not answering.</param>
/// <param name="Problem">Why <paramref name="Report"/> is null.</param>
public sealed record SiloResult(string Address, string Host, string Status, DateTimeOffset? StartedAt, SiloReport? Report, string? Problem);
