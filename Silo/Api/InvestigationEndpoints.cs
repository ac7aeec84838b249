using Lineage.Dashboard.Security;
using Lineage.Grains;
using Lineage.Grains.Posts;
using Lineage.Grains.Referrals;
using Lineage.Grains.Similarity;
using Lineage.Grains.Walks;
using Lineage.Runtime;

namespace Lineage.Silo.Api;

/// <summary>Investigators' walks over HTTP: trace, path, timeline, post, account, subject, referral.</summary>
/// <remarks>Items are named in the query string ("?post=twitter/123", "?content=&lt;sha256&gt;") because post ids may contain '/'.</remarks>
internal static class InvestigationEndpoints
{
    public static IEndpointRouteBuilder MapInvestigationEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/lineage");
        group.MapGet("/trace", TraceAsync)
            .WithName("Trace")
            .WithSummary("Origin, reshare tree (paged with skip/take), accounts, subjects, disputed parents, time anomalies and near-duplicate posts with distances of ?post=platform/id, ?content=sha256 or ?content=pdq:hash (a near-duplicate group).")
            .Produces<TraceResult>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/path", PathAsync)
            .WithName("Path")
            .WithSummary("The way from ?post=platform/id up its primary parents to the origin.")
            .Produces<PathResult>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/timeline", TimelineAsync)
            .WithName("Timeline")
            .WithSummary("Posts per time bucket (?bucketMinutes=, else chosen) over the tree of ?post= or the posts of ?content=.")
            .Produces<TimelineResult>();
        group.MapGet("/post", PostAsync)
            .WithName("Post")
            .WithSummary("One post of ?post=platform/id: its deciding fields, parent candidates, children and claims with provenance (paged with ?claimsAfter=).")
            .Produces<PostDetail>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/account", AccountAsync)
            .WithName("Account")
            .WithSummary("An account (?account=platform/id): its posts and reshares, whom it reshared, who reshared it, linked subjects.")
            .Produces<AccountReport>();
        group.MapGet("/similar", SimilarAsync)
            .WithName("Similar")
            .WithSummary("Every indexed PDQ hash within the threshold of ?pdq=hex (quality ?quality=, default 100), nearest first, with owners, and the near-duplicate group it would join; nothing is added.")
            .Produces<SimilarResult>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/similar/owners", HashOwnersAsync)
            .WithName("HashOwners")
            .WithSummary("Every post that carried PDQ hash ?pdq=hex, with its content item, in post-key order, paged with ?after= (the previous page's nextCursor) and ?limit= (1-10,000, default 1,000).")
            .Produces<PdqOwnerPage>().ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapPost("/similar/repartition", RepartitionAsync)
            .RequireAuthorization(LineagePolicies.Operator)
            .WithName("Repartition")
            .WithSummary("Operators: move the near-duplicate index built with another partition count into this silo's Similarity:Pdq:Partitions (stop intake of PDQ sightings first); answers the counts and how many hashes were copied.")
            .Produces<NearDuplicateRepartition>();
        group.MapGet("/referral", ReferralAsync)
            .WithName("Referral")
            .WithSummary("The posts sighted under referral ?id= (paged with ?after=).")
            .Produces<KeyPage>();
        return endpoints;
    }

    private static async Task<IResult> TraceAsync(HttpRequest request, IGrainFactory grains, TimeProvider time)
    {
        if (!Query.TryLimits(request, out var limits, out var problem) || !Query.TryItem(request, out var post, out var content, out problem))
        {
            return problem!;
        }

        var skip = Query.Int(request, "skip", 0, 0, int.MaxValue);
        var take = Query.Int(request, "take", int.MaxValue, 0, int.MaxValue);
        var subjects = !string.Equals(request.Query["subjects"], "false", StringComparison.OrdinalIgnoreCase);
        var walker = new TraceWalker(grains, time);
        var result = post is not null
            ? await walker.TraceAsync(post, limits, skip, take, subjects)
            : await walker.TraceContentAsync(content!, limits, skip, take, subjects);
        return result.NodeCount == 0 || (result.NodeCount == 1 && result.Origin is { Seen: false })
            ? Query.NotFound(post is not null ? $"post {post} was never sighted nor referenced" : $"no post carries content {content}")
            : Results.Ok(result);
    }

    private static async Task<IResult> SimilarAsync(HttpRequest request, NearDuplicateIndex index, IGrainFactory grains)
    {
        var pdq = request.Query["pdq"].ToString().ToLowerInvariant();
        if (!Query.IsHex64(pdq))
        {
            return Query.BadRequest("pdq: must be a PDQ hash in 64 hex digits");
        }

        var quality = Query.Int(request, "quality", 100, 0, 100);
        NearDuplicateIndexResult result;
        try
        {
            result = await index.MatchAsync(Media.Pdq.PdqHash.Parse(pdq), quality);
        }
        catch (NearDuplicateIndexMismatchException exception)
        {
            return Results.Problem(exception.Message, statusCode: StatusCodes.Status409Conflict, title: "The near-duplicate index needs moving");
        }

        // The groups it would join: those of its matches, each named by its representative, smallest first.
        var groups = new NearDuplicateGroups(grains);
        var representatives = await Task.WhenAll(result.Matches.Select(m => groups.FindRepresentativeAsync(m.Hash)));
        return Results.Ok(new SimilarResult(
            pdq, quality, index.Options.Threshold, result.Accepted, result.RefusedBecause, result.Matches,
            [.. representatives.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(r => "pdq:" + r)]));
    }

    private static async Task<IResult> HashOwnersAsync(HttpRequest request, IGrainFactory grains)
    {
        var pdq = request.Query["pdq"].ToString().ToLowerInvariant();
        if (!Query.IsHex64(pdq))
        {
            return Query.BadRequest("pdq: must be a PDQ hash in 64 hex digits");
        }

        var after = request.Query["after"].ToString();
        var page = await grains.GetGrain<IPdqHashGrain>(pdq).GetOwnerPage(after.Length == 0 ? null : after, Query.Int(request, "limit", 1000, 1, 10_000));
        return Results.Ok(page);
    }

    private static async Task<IResult> RepartitionAsync(NearDuplicateIndex index, CancellationToken cancellationToken) =>
        Results.Ok(await index.RepartitionAsync(cancellationToken));

    private static async Task<IResult> PathAsync(HttpRequest request, IGrainFactory grains, TimeProvider time)
    {
        if (!Query.TryLimits(request, out var limits, out var problem) || !Query.TryPost(request, out var post, out problem))
        {
            return problem!;
        }

        var result = await new PathWalker(grains, time).PathAsync(post, limits);
        return result.Nodes is [{ Seen: false }] ? Query.NotFound($"post {post} was never sighted") : Results.Ok(result);
    }

    private static async Task<IResult> TimelineAsync(HttpRequest request, IGrainFactory grains, TimeProvider time)
    {
        if (!Query.TryLimits(request, out var limits, out var problem) || !Query.TryItem(request, out var post, out var content, out problem))
        {
            return problem!;
        }

        var minutes = Query.Int(request, "bucketMinutes", 0, 0, 525_600);
        var item = post is not null ? "post:" + post : "content:" + content;
        return Results.Ok(await new TraceWalker(grains, time).TimelineAsync(item, limits, minutes > 0 ? TimeSpan.FromMinutes(minutes) : null));
    }

    private static async Task<IResult> PostAsync(HttpRequest request, IGrainFactory grains)
    {
        if (!Query.TryPost(request, out var post, out var problem))
        {
            return problem!;
        }

        var grain = grains.GetGrain<IPostGrain>(post);
        var node = await grain.GetNode(Query.Int(request, "children", 100, 0, 10_000));
        if (!node.Seen && node.Children.Count == 0)
        {
            return Query.NotFound($"post {post} was never sighted nor referenced");
        }

        var claims = await grain.GetClaims(request.Query["claimsAfter"], Query.Int(request, "claims", 100, 1, 10_000));
        return Results.Ok(new PostDetail(node, claims));
    }

    private static async Task<IResult> AccountAsync(HttpRequest request, IGrainFactory grains, TimeProvider time)
    {
        if (!Query.TryLimits(request, out var limits, out var problem))
        {
            return problem!;
        }

        var account = request.Query["account"].ToString();
        if (account.IndexOf('/', StringComparison.Ordinal) <= 0)
        {
            return Query.BadRequest("account: give ?account=platform/account");
        }

        return Results.Ok(await new AccountWalker(grains, time).ReportAsync(account, limits, Query.Int(request, "posts", 100, 0, 100_000)));
    }

    private static async Task<IResult> ReferralAsync(HttpRequest request, IGrainFactory grains)
    {
        var id = request.Query["id"].ToString();
        if (id.Length == 0)
        {
            return Query.BadRequest("id: give ?id=referral-id");
        }

        var after = request.Query["after"].ToString();
        return Results.Ok(await grains.GetGrain<IReferralGrain>(id).GetItems(after.Length == 0 ? null : after, Query.Int(request, "limit", 1000, 1, 10_000)));
    }
}

/// <summary>One post with a page of its claims.</summary>
public sealed record PostDetail(PostNode Post, ClaimPage Claims);
