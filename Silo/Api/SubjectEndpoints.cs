using Lineage.Grains;
using Lineage.Grains.Subjects;
using Lineage.Grains.Walks;
using Lineage.Runtime;

namespace Lineage.Silo.Api;

/// <summary>Subjects over HTTP: the subject walk, and investigators linking and unlinking accounts.</summary>
internal static class SubjectEndpoints
{
    public static IEndpointRouteBuilder MapSubjectEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/lineage/subjects");
        group.MapGet("/{id}", ReportAsync)
            .WithName("Subject")
            .WithSummary("A subject's linked accounts and their activity, and the subjects they co-share with (?hops=1-3).")
            .Produces<SubjectReport>();
        group.MapGet("/{id}/history", async (string id, IGrainFactory grains) => Results.Ok(await grains.GetGrain<ISubjectGrain>(id).GetHistory()))
            .WithName("SubjectHistory")
            .WithSummary("Every link and unlink decision about the subject, oldest first.")
            .Produces<SubjectLinkEvent[]>();
        group.MapPost("/{id}/links", LinkAsync)
            .WithName("LinkAccount")
            .WithSummary("Links an account to the subject with a confidence (0-1) and provenance.")
            .Produces<SubjectLinkEvent>().ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapDelete("/{id}/links", UnlinkAsync)
            .WithName("UnlinkAccount")
            .WithSummary("Unlinks ?account=platform/id from the subject, recording ?source= and ?note=; the history keeps both decisions.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return endpoints;
    }

    private static async Task<IResult> ReportAsync(string id, HttpRequest request, IGrainFactory grains, TimeProvider time)
    {
        if (!Query.TryLimits(request, out var limits, out var problem))
        {
            return problem!;
        }

        var hops = Query.Int(request, "hops", 1, 1, SubjectWalker.MaxHops);
        return Results.Ok(await new SubjectWalker(grains, time).ReportAsync(id, limits, hops));
    }

    private static async Task<IResult> LinkAsync(string id, LinkRequest link, IGrainFactory grains)
    {
        if (link.Account is null || link.Account.IndexOf('/', StringComparison.Ordinal) <= 0)
        {
            return Query.BadRequest("account: give \"account\": \"platform/account\"");
        }

        if (link.Confidence is not (>= 0 and <= 1))
        {
            return Query.BadRequest("confidence: must be between 0 and 1");
        }

        if (string.IsNullOrWhiteSpace(link.Source))
        {
            return Query.BadRequest("source: say who decided (an investigator or process)");
        }

        return Results.Ok(await grains.GetGrain<ISubjectGrain>(id).Link(link.Account, link.Confidence, link.Source, link.SourceRef, link.Note));
    }

    private static async Task<IResult> UnlinkAsync(string id, HttpRequest request, IGrainFactory grains)
    {
        var account = request.Query["account"].ToString();
        var source = request.Query["source"].ToString();
        if (account.IndexOf('/', StringComparison.Ordinal) <= 0 || source.Length == 0)
        {
            return Query.BadRequest("account, source: give ?account=platform/account&source=who");
        }

        var note = request.Query["note"].ToString();
        var sourceRef = request.Query["sourceRef"].ToString();
        return await grains.GetGrain<ISubjectGrain>(id).Unlink(account, source, sourceRef.Length == 0 ? null : sourceRef, note.Length == 0 ? null : note)
            ? Results.NoContent()
            : Query.NotFound($"account {account} is not linked to subject {id}");
    }
}

/// <summary>Body of a link request.</summary>
/// <param name="Account">"platform/account".</param>
/// <param name="Confidence">0-1.</param>
/// <param name="Source">Who decided.</param>
/// <param name="SourceRef">Their reference.</param>
/// <param name="Note">Free text.</param>
public sealed record LinkRequest(string? Account, double Confidence, string? Source, string? SourceRef, string? Note);
