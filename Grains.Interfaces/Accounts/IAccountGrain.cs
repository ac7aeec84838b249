using Lineage.Grains.Posts;
using Lineage.Runtime;

namespace Lineage.Grains.Accounts;

/// <summary>An account, keyed "platform/account": the posts claimed for it and the subjects linked to it.</summary>
public interface IAccountGrain : IGrainWithStringKey
{
    /// <summary>A page of the keys of posts claimed for this account, in key order, after <paramref name="afterKey"/>.</summary>
    [ReadOnly]
    Task<KeyPage> GetPosts(string? afterKey, int limit);

    /// <summary>Records a subject link or unlink event seen from the account's side; returns once durable.</summary>
    Task RecordSubjectLink(SubjectLinkEvent linkEvent);

    /// <summary>The subjects currently linked to this account.</summary>
    [ReadOnly]
    Task<IReadOnlyList<SubjectLinkEvent>> GetSubjects();
}
