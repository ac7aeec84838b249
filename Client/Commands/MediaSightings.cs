using System.Globalization;
using System.Text.Json;
using Lineage.Grains.Intake;
using Lineage.Media;

namespace Lineage.Client.Commands;

/// <summary>Turns image files into sightings carrying <c>pdq</c>/<c>pdqQuality</c> for <c>lineage ingest --media</c>.</summary>
/// <remarks>Post ids come from the files: a file named directly is post <c>name.ext</c>; a file found under a directory is post
/// <c>relative/path.ext</c> (with '/'), so two files of one run never share a post. The platform, account, source and reference are
/// the same for the whole run (flags); <c>observedAt</c> is the <c>--observed-at</c> flag, else the file's last-write time (UTC).</remarks>
internal static class MediaSightings
{
    private static readonly JsonSerializerOptions LineJson = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The files named, directories expanded (recursively, in ordinal order); a path that does not exist becomes a reject.</summary>
    public static (List<(string File, string PostId)> Files, List<IngestReject> Rejects) Expand(IEnumerable<string> paths)
    {
        var files = new List<(string, string)>();
        var rejects = new List<IngestReject>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                var root = Path.GetFullPath(path);
                foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                {
                    files.Add((file, Path.GetRelativePath(root, file).Replace(Path.DirectorySeparatorChar, '/')));
                }
            }
            else if (File.Exists(path))
            {
                files.Add((path, Path.GetFileName(path)));
            }
            else
            {
                rejects.Add(new IngestReject(path, 0, null, "file: no such file or directory", string.Empty));
            }
        }

        return (files, rejects);
    }

    /// <summary>Hashes each file (two at a time) and returns one NDJSON sighting line per hashed file, in file order, with the file it came
    /// from; a file that cannot be decoded becomes a reject naming it and the reason, and the others still go.</summary>
    public static async Task<(List<(string File, string Line)> Lines, List<IngestReject> Rejects)> BuildAsync(
        IReadOnlyList<(string File, string PostId)> files, MediaSightingOptions options, ImageHasher hasher, CancellationToken cancellationToken)
    {
        var outputs = await HashCommand.HashAllAsync([.. files.Select(f => f.File)], false, hasher, cancellationToken);
        var lines = new List<(string, string)>();
        var rejects = new List<IngestReject>();
        for (var i = 0; i < files.Count; i++)
        {
            var (file, postId) = files[i];
            if (outputs[i].Error is { } error)
            {
                rejects.Add(new IngestReject(file, 0, postId, "media: " + error, string.Empty));
                continue;
            }

            var observedAt = options.ObservedAt ?? new DateTimeOffset(File.GetLastWriteTimeUtc(file), TimeSpan.Zero);
            var sighting = new Dictionary<string, object?>
            {
                ["platform"] = options.Platform,
                ["postId"] = postId,
                ["account"] = options.Account,
                ["observedAt"] = observedAt.ToString("yyyy-MM-dd'T'HH:mm:ss.fffK", CultureInfo.InvariantCulture),
                ["pdq"] = outputs[i].Hash,
                ["pdqQuality"] = outputs[i].Quality,
                ["source"] = SightingRules.SourceName(options.Source),
                ["sourceRef"] = options.SourceRef,
            };
            lines.Add((file, JsonSerializer.Serialize(sighting, LineJson)));
        }

        return (lines, rejects);
    }
}

/// <summary>What every sighting of one <c>lineage ingest --media</c> run says besides its hash.</summary>
/// <param name="Platform">The platform of the posts (<c>--platform</c>, default <c>media</c>).</param>
/// <param name="Account">The account the media is attributed to (<c>--account</c>, default <c>unknown</c>).</param>
/// <param name="ObservedAt">When the media was seen (<c>--observed-at</c>); null: each file's last-write time.</param>
/// <param name="Source">The source (<c>--source</c>, default <c>internal</c>).</param>
/// <param name="SourceRef">The reporter's reference (<c>--source-ref</c>), e.g. a case or referral id.</param>
internal sealed record MediaSightingOptions(string Platform, string Account, DateTimeOffset? ObservedAt, SightingSource Source, string? SourceRef);
