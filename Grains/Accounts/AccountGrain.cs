using System.Globalization;
using System.Text.Json;
using Lineage.Grains.Edges;
using Lineage.Grains.Posts;
using Lineage.Grains.Subjects;
using Lineage.Runtime;
using Lineage.Runtime.Persistence.Edges;

namespace Lineage.Grains.Accounts;

/// <summary>An account: its posts (appended by the posts' own registrations) and its subject links, both edge rows.</summary>
[GrainType(GrainTypes.Account)]
public sealed class AccountGrain(IEdgeStore edges) : Grain, IAccountGrain
{
    private List<SubjectLinkEvent>? _links;

    /// <inheritdoc />
    public Task<KeyPage> GetPosts(string? afterKey, int limit) => RelationPages.ReadKeysAsync(edges, GrainId, Relations.Posts, afterKey, limit);

    /// <inheritdoc />
    public async Task RecordSubjectLink(SubjectLinkEvent linkEvent)
    {
        ArgumentNullException.ThrowIfNull(linkEvent);
        var links = await LoadLinksAsync();
        var row = new EdgeRow(LinkKey(linkEvent.SubjectId, linkEvent), JsonSerializer.SerializeToUtf8Bytes(linkEvent, LinkEvents.Json));
        if (await edges.AppendAsync(GrainId, Relations.Links, [row], CancellationToken.None) > 0)
        {
            links.Add(linkEvent);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<SubjectLinkEvent>> GetSubjects() => LinkEvents.Current(await LoadLinksAsync(), e => e.SubjectId);

    private static string LinkKey(string counterpart, SubjectLinkEvent linkEvent) =>
        string.Create(CultureInfo.InvariantCulture, $"{counterpart}|{linkEvent.At.UtcTicks:D19}|{(linkEvent.Linked ? 'L' : 'U')}");

    private async Task<List<SubjectLinkEvent>> LoadLinksAsync() => _links ??= await LinkEvents.ReadAllAsync(edges, GrainId);
}
