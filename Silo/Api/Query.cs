using System.Globalization;
using Lineage.Grains.Walks;

namespace Lineage.Silo.Api;

/// <summary>Reads the query parameters the lineage endpoints share, answering a bad one with a problem naming it.</summary>
internal static class Query
{
    public static bool TryLimits(HttpRequest request, out WalkLimits limits, out IResult? problem)
    {
        limits = WalkLimits.Default;
        problem = null;
        if (!TryInt(request, "maxDepth", 64, 1, 10_000, out var depth, ref problem)
            || !TryInt(request, "maxNodes", 10_000, 1, 1_000_000, out var nodes, ref problem)
            || !TryInt(request, "deadlineMs", 10_000, 1, 300_000, out var deadline, ref problem))
        {
            return false;
        }

        limits = new WalkLimits(depth, nodes, TimeSpan.FromMilliseconds(deadline));
        return true;
    }

    public static bool TryPost(HttpRequest request, out string post, out IResult? problem)
    {
        post = request.Query["post"].ToString();
        problem = post.IndexOf('/', StringComparison.Ordinal) > 0 ? null : BadRequest("post: give ?post=platform/postId");
        return problem is null;
    }

    public static bool TryItem(HttpRequest request, out string? post, out string? content, out IResult? problem)
    {
        var postValue = request.Query["post"].ToString();
        var contentValue = request.Query["content"].ToString();
        post = postValue.Length > 0 ? postValue : null;
        content = contentValue.Length > 0 ? contentValue.ToLowerInvariant() : null;
        problem = null;
        if ((post is null) == (content is null))
        {
            problem = BadRequest("post, content: give exactly one of ?post=platform/postId or ?content=sha256");
        }
        else if (post is not null && post.IndexOf('/', StringComparison.Ordinal) <= 0)
        {
            problem = BadRequest("post: give ?post=platform/postId");
        }
        else if (content is not null && (content.Length != 64 || !content.All(char.IsAsciiHexDigitLower)))
        {
            problem = BadRequest("content: must be a SHA-256 in 64 hex digits");
        }

        return problem is null;
    }

    public static int Int(HttpRequest request, string name, int fallback, int min, int max)
    {
        IResult? ignored = null;
        return TryInt(request, name, fallback, min, max, out var value, ref ignored) ? value : fallback;
    }

    public static IResult BadRequest(string detail) => Results.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "Bad request");

    public static IResult NotFound(string detail) => Results.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");

    private static bool TryInt(HttpRequest request, string name, int fallback, int min, int max, out int value, ref IResult? problem)
    {
        var text = request.Query[name].ToString();
        if (text.Length == 0)
        {
            value = fallback;
            return true;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value) || value < min || value > max)
        {
            problem = BadRequest($"{name}: must be a whole number from {min} to {max}");
            return false;
        }

        return true;
    }
}
