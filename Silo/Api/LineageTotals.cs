using Lineage.Grains;
using Lineage.Runtime.Persistence.Edges;

namespace Lineage.Silo.Api;

/// <summary>How much the lineage holds, cluster-wide (the storage is shared): posts seen, accounts that posted, content fingerprints,
/// perceptual hashes, subjects.</summary>
/// <param name="Posts">Posts with at least one sighting (posts only referenced as a parent are not counted).</param>
/// <param name="Accounts">Accounts with at least one post.</param>
/// <param name="ContentFingerprints">Distinct SHA-256 content fingerprints carried by sightings.</param>
/// <param name="Subjects">Subjects with at least one link decision.</param>
/// <param name="PerceptualHashes">Distinct PDQ hashes carried by sightings and indexed for near-duplicate matching.</param>
/// <param name="CountedAt">When the storage was counted; figures are at most <see cref="LineageTotalsCounter.MaxAge"/> old.</param>
public sealed record LineageTotals(long Posts, long Accounts, long ContentFingerprints, long Subjects, long PerceptualHashes, DateTimeOffset CountedAt);

/// <summary>Counts <see cref="LineageTotals"/> from the edge store, at most once per <see cref="MaxAge"/>: counting scans every row of
/// a grain type, which is fine for a page refreshed by people but not for every poll.</summary>
internal sealed class LineageTotalsCounter(IEdgeStore edges, TimeProvider time)
{
    /// <summary>How long a count is reused.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(10);

    private readonly SemaphoreSlim _counting = new(1, 1);
    private LineageTotals? _last;

    public async Task<LineageTotals> GetAsync(CancellationToken cancellationToken)
    {
        await _counting.WaitAsync(cancellationToken);
        try
        {
            var now = time.GetUtcNow();
            if (_last is { } last && now - last.CountedAt < MaxAge)
            {
                return last;
            }

            var posts = edges.CountGrainsAsync(GrainTypes.Post, Relations.Claims, cancellationToken).AsTask();
            var accounts = edges.CountGrainsAsync(GrainTypes.Account, Relations.Posts, cancellationToken).AsTask();
            var content = edges.CountGrainsAsync(GrainTypes.Content, Relations.Posts, cancellationToken).AsTask();
            var subjects = edges.CountGrainsAsync(GrainTypes.Subject, Relations.Links, cancellationToken).AsTask();
            var hashes = edges.CountGrainsAsync(GrainTypes.PdqHash, Relations.Owners, cancellationToken).AsTask();
            await Task.WhenAll(posts, accounts, content, subjects, hashes);
            return _last = new LineageTotals(posts.Result, accounts.Result, content.Result, subjects.Result, hashes.Result, now);
        }
        finally
        {
            _counting.Release();
        }
    }
}
