using Lineage.Grains.Posts;
using Lineage.Runtime;

namespace Lineage.Grains.Intake;

/// <summary>Registers a batch of parsed records with their post grains, all in parallel, and reports once every one has finished.</summary>
/// <remarks>Each post grain acknowledges only once its writes are durable, so the report is a durable acknowledgement of the batch.
/// A record whose registration throws is reported refused with the error, and does not disturb the others.</remarks>
public sealed class IntakeDispatcher(IGrainFactory grains)
{
    /// <summary>Flag reason for a post observed before its parent.</summary>
    public const string ChildBeforeParent = "child-before-parent";

    /// <summary>Flag reason for a post with conflicting parent claims.</summary>
    public const string DisputedParent = "disputed-parent";

    /// <summary>Registers <paramref name="records"/> (line number and parse result each).</summary>
    public async Task<IntakeReport> RegisterAsync(IReadOnlyList<(int Line, SightingParse Parse)> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var calls = new Task<RegistrationResult>?[records.Count];
        for (var i = 0; i < records.Count; i++)
        {
            if (records[i].Parse.Sighting is { } sighting)
            {
                calls[i] = grains.GetGrain<IPostGrain>(sighting.PostKey).Register(sighting);
            }
        }

        var accepted = 0;
        var duplicates = 0;
        var refusals = new List<IntakeIssue>();
        var flags = new List<IntakeIssue>();
        for (var i = 0; i < records.Count; i++)
        {
            var (line, parse) = records[i];
            if (calls[i] is not { } call)
            {
                refusals.Add(new IntakeIssue(line, null, parse.Error ?? "record: unreadable"));
                continue;
            }

            RegistrationResult result;
            try
            {
                result = await call;
            }
            catch (Exception exception)
            {
                refusals.Add(new IntakeIssue(line, parse.Sighting!.PostId, "registration: failed (" + exception.Message + "); it may be partly recorded and is safe to retry"));
                continue;
            }

            switch (result.Outcome)
            {
                case RegistrationOutcome.Accepted:
                    accepted++;
                    if (result.ChildBeforeParent)
                    {
                        flags.Add(new IntakeIssue(line, parse.Sighting!.PostId, ChildBeforeParent));
                    }

                    if (result.DisputedParent)
                    {
                        flags.Add(new IntakeIssue(line, parse.Sighting!.PostId, DisputedParent));
                    }

                    break;
                case RegistrationOutcome.Duplicate:
                    duplicates++;
                    break;
                default:
                    refusals.Add(new IntakeIssue(line, parse.Sighting!.PostId, result.Reason ?? "refused"));
                    break;
            }
        }

        var flagged = flags.Select(f => f.Line).Distinct().Count();
        return new IntakeReport(records.Count, accepted, duplicates, refusals.Count, flagged, refusals, flags);
    }
}
