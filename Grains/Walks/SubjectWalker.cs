using Lineage.Grains.Accounts;
using Lineage.Grains.Subjects;
using Lineage.Runtime;

namespace Lineage.Grains.Walks;

/// <summary>A subject's accounts and their activity, and the subjects they co-share with, a bounded number of hops out.</summary>
public sealed class SubjectWalker(IGrainFactory grains, TimeProvider timeProvider)
{
    /// <summary>Most hops allowed out to co-sharing subjects.</summary>
    public const int MaxHops = 3;

    /// <summary>Walks subject <paramref name="subjectId"/>.</summary>
    /// <param name="subjectId">The subject.</param>
    /// <param name="limits">Node and time bounds, shared by the whole walk.</param>
    /// <param name="hops">How far out to look for co-sharing subjects (1 to <see cref="MaxHops"/>).</param>
    public async Task<SubjectReport> ReportAsync(string subjectId, WalkLimits limits, int hops = 1)
    {
        hops = Math.Clamp(hops, 1, MaxHops);
        var budget = new WalkBudget(limits, timeProvider);
        var accountWalker = new AccountWalker(grains, timeProvider);
        var links = await grains.GetGrain<ISubjectGrain>(subjectId).GetAccounts();
        var activity = new List<SubjectAccountActivity>();
        var found = new Dictionary<string, CoSharingSubject>(StringComparer.Ordinal);
        var visited = new HashSet<string>(StringComparer.Ordinal) { subjectId };
        var frontier = new List<(string Subject, IReadOnlyList<SubjectLinkEvent> Links)> { (subjectId, links) };
        for (var hop = 1; hop <= hops && frontier.Count > 0 && !budget.Expired; hop++)
        {
            var next = new List<(string, IReadOnlyList<SubjectLinkEvent>)>();
            foreach (var (subject, subjectLinks) in frontier)
            {
                var own = subjectLinks.Select(l => l.AccountKey).ToHashSet(StringComparer.Ordinal);
                var counterparts = new Dictionary<string, int>(StringComparer.Ordinal);
                foreach (var link in subjectLinks)
                {
                    var report = await accountWalker.ReportAsync(link.AccountKey, budget, postsShown: 0);
                    if (hop == 1)
                    {
                        activity.Add(new SubjectAccountActivity(link, report.PostCount, report.Reshares, report.FirstSeen, report.LastSeen));
                    }

                    foreach (var other in report.Reshared.Concat(report.ResharedBy).Where(c => !own.Contains(c.Account)))
                    {
                        counterparts[other.Account] = counterparts.GetValueOrDefault(other.Account) + other.Count;
                    }
                }

                var accounts = counterparts.Keys.Order(StringComparer.Ordinal).ToList();
                var theirSubjects = await budget.WithinDeadline(accounts.Select(a => grains.GetGrain<IAccountGrain>(a).GetSubjects()));
                if (theirSubjects is null)
                {
                    break;
                }

                var bySubject = new Dictionary<string, (int Interactions, SortedSet<string> Via)>(StringComparer.Ordinal);
                for (var i = 0; i < accounts.Count; i++)
                {
                    foreach (var link in theirSubjects[i].Where(l => !visited.Contains(l.SubjectId)))
                    {
                        var entry = bySubject.GetValueOrDefault(link.SubjectId, (Interactions: 0, Via: new SortedSet<string>(StringComparer.Ordinal)));
                        entry.Via.Add(accounts[i]);
                        bySubject[link.SubjectId] = (entry.Interactions + counterparts[accounts[i]], entry.Via);
                    }
                }

                foreach (var (other, entry) in bySubject)
                {
                    if (found.TryGetValue(other, out var known))
                    {
                        found[other] = known with { Interactions = known.Interactions + entry.Interactions };
                        continue;
                    }

                    found[other] = new CoSharingSubject(other, hop, entry.Interactions, entry.Via.ToArray());
                    next.Add((other, await grains.GetGrain<ISubjectGrain>(other).GetAccounts()));
                }
            }

            foreach (var (other, _) in next)
            {
                visited.Add(other);
            }

            frontier = next;
        }

        if (frontier.Count > 0 && hops < MaxHops && frontier.Any(f => f.Links.Count > 0))
        {
            budget.Cut("hops");
        }

        var coSharing = found.Values.OrderBy(c => c.Hops).ThenByDescending(c => c.Interactions).ThenBy(c => c.SubjectId, StringComparer.Ordinal).ToArray();
        return new SubjectReport(subjectId, activity, coSharing, budget.Completeness);
    }
}
