using Lineage.Runtime;

namespace Lineage.Grains.Subjects;

/// <summary>A person (or group) behind accounts, keyed by subject id; links to accounts carry confidence and provenance.</summary>
public interface ISubjectGrain : IGrainWithStringKey
{
    /// <summary>Links an account (or changes the link's confidence); returns the account's current link once durable on both sides.</summary>
    Task<SubjectLinkEvent> Link(string accountKey, double confidence, string source, string? sourceRef, string? note);

    /// <summary>Unlinks an account; the history keeps both decisions. False when it was not linked.</summary>
    Task<bool> Unlink(string accountKey, string source, string? sourceRef, string? note);

    /// <summary>The accounts currently linked, in key order.</summary>
    [ReadOnly]
    Task<IReadOnlyList<SubjectLinkEvent>> GetAccounts();

    /// <summary>Every link and unlink decision, oldest first.</summary>
    [ReadOnly]
    Task<IReadOnlyList<SubjectLinkEvent>> GetHistory();
}
