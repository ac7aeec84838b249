namespace Lineage.Grains.Intake;

/// <summary>What one intake batch did, acknowledged once every accepted sighting in it is durable.</summary>
/// <param name="Received">Records in the batch (blank lines excluded).</param>
/// <param name="Accepted">New claims recorded.</param>
/// <param name="Duplicates">Sightings already recorded (nothing changed).</param>
/// <param name="Refused">Records refused; each is in <paramref name="Refusals"/>.</param>
/// <param name="Flagged">Accepted records that raised a flag; each is in <paramref name="Flags"/>.</param>
/// <param name="Refusals">Every refused record: its line and why.</param>
/// <param name="Flags">Every flag raised: its line and what.</param>
public sealed record IntakeReport(
    int Received,
    int Accepted,
    int Duplicates,
    int Refused,
    int Flagged,
    IReadOnlyList<IntakeIssue> Refusals,
    IReadOnlyList<IntakeIssue> Flags);

/// <summary>A problem with one record of a batch.</summary>
/// <param name="Line">1-based line in the request body (element number for a JSON array).</param>
/// <param name="PostId">The record's post id, when it could be read.</param>
/// <param name="Reason">"field: reason" for a refusal; "child-before-parent" or "disputed-parent" for a flag.</param>
public sealed record IntakeIssue(int Line, string? PostId, string Reason);
