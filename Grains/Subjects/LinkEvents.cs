using System.Text.Json;
using Lineage.Runtime;
using Lineage.Runtime.Persistence.Edges;

namespace Lineage.Grains.Subjects;

/// <summary>Link decisions kept as edge rows on both the subject and the account: reading them back and folding them into the current links.</summary>
internal static class LinkEvents
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<List<SubjectLinkEvent>> ReadAllAsync(IEdgeStore edges, GrainId owner)
    {
        var events = new List<SubjectLinkEvent>();
        string? cursor = null;
        do
        {
            var page = await edges.ReadAsync(owner, Relations.Links, cursor, 1000, CancellationToken.None);
            foreach (var row in page.Rows)
            {
                events.Add(JsonSerializer.Deserialize<SubjectLinkEvent>(row.Payload.Span, Json)
                    ?? throw new InvalidDataException($"Link row {row.Key} of {owner} is empty."));
            }

            cursor = page.NextCursor;
        }
        while (cursor is not null);
        return events;
    }

    /// <summary>The latest decision per counterpart (by time, an unlink winning a tie), keeping only those that link; in key order.</summary>
    public static IReadOnlyList<SubjectLinkEvent> Current(IEnumerable<SubjectLinkEvent> events, Func<SubjectLinkEvent, string> counterpart)
    {
        var latest = new SortedDictionary<string, SubjectLinkEvent>(StringComparer.Ordinal);
        foreach (var linkEvent in events)
        {
            var key = counterpart(linkEvent);
            if (!latest.TryGetValue(key, out var known) || Later(linkEvent, known))
            {
                latest[key] = linkEvent;
            }
        }

        return latest.Values.Where(e => e.Linked).ToArray();
    }

    private static bool Later(SubjectLinkEvent candidate, SubjectLinkEvent known) =>
        candidate.At != known.At ? candidate.At > known.At : !candidate.Linked && known.Linked;
}
