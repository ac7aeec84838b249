using System.CommandLine;
using Lineage.Grains.Similarity;
using Lineage.Media;
using Lineage.Media.Decoding;
using Lineage.Media.Pdq;

namespace Lineage.Client.Commands;

/// <summary><c>lineage similar HASH|FILE</c>: what already seen is a near-duplicate of a newly banked image or hash, without adding it.</summary>
internal static class SimilarCommand
{
    public static Command Create()
    {
        var item = new Argument<string>("hash-or-file") { Description = "A PDQ hash (64 hex digits) or an image file to hash first" };
        var quality = new Option<int?>("--quality")
        {
            Description = "Quality of a hash given as hex (0-100; default 100). An image's own quality is used for a file",
        };
        var command = new Command("similar", "Match a newly banked image or PDQ hash against everything already seen (nothing is added)") { item, quality };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var given = parseResult.GetValue(item)!;
            string hash;
            int hashQuality;
            if (PdqHash.TryParse(given, out var parsed))
            {
                hash = parsed.ToString();
                hashQuality = parseResult.GetValue(quality) ?? 100;
                if (hashQuality is < 0 or > 100)
                {
                    Console.Error.WriteLine("lineage similar: --quality must be between 0 and 100");
                    return 2;
                }
            }
            else if (File.Exists(given))
            {
                try
                {
                    var result = await new ImageHasher().HashFileAsync(given, cancellationToken);
                    (hash, hashQuality) = (result.Hash.ToString(), result.Quality);
                }
                catch (ImageDecodeException exception)
                {
                    Console.Error.WriteLine($"lineage similar: {given}: {exception.Reason}");
                    return 2;
                }
            }
            else
            {
                Console.Error.WriteLine($"lineage similar: '{given}' is neither a PDQ hash (64 hex digits) nor an existing file");
                return 2;
            }

            return await QueryRunner.RunAsync<SimilarResult>(
                parseResult, "similar", $"/api/lineage/similar?pdq={hash}&quality={hashQuality}", LineageRendering.Similar, cancellationToken);
        });
        return command;
    }
}
