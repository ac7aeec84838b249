namespace Lineage.Grains;

/// <summary>An investigator's decision that a subject is (or is no longer) behind an account, with its provenance.</summary>
/// <param name="SubjectId">The subject.</param>
/// <param name="AccountKey">The account, "platform/account".</param>
/// <param name="Linked">True to link, false to unlink.</param>
/// <param name="Confidence">How sure the link is, 0-1 (0 for an unlink).</param>
/// <param name="Source">Who decided (an investigator or a process).</param>
/// <param name="SourceRef">Their reference (a case or referral id).</param>
/// <param name="Note">Free text.</param>
/// <param name="At">When the decision was made; later decisions about the same pair win.</param>
public sealed record SubjectLinkEvent(
    string SubjectId,
    string AccountKey,
    bool Linked,
    double Confidence,
    string Source,
    string? SourceRef,
    string? Note,
    DateTimeOffset At);
