using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Lineage.Media;
using Lineage.Media.Decoding;
using Lineage.Media.Pdq;

namespace Lineage.Client.Commands;

/// <summary><c>lineage hash FILE...</c>: PDQ hash and quality of image files, computed locally (no silo needed).</summary>
internal static class HashCommand
{
    private static readonly JsonSerializerOptions JsonOutput = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    };

    public static Command Create()
    {
        var files = new Argument<string[]>("files") { Description = "Image files (JPEG, PNG, WebP, GIF, BMP, ...)", Arity = ArgumentArity.OneOrMore };
        var dihedral = new Option<bool>("--dihedral") { Description = "Also print the hashes of the 8 rotations and flips" };
        var command = new Command("hash", "Print the PDQ hash and quality (0-100; below 50 is usually too weak to match) of image files");
        command.Arguments.Add(files);
        command.Options.Add(dihedral);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var results = await HashAllAsync(parseResult.GetValue(files)!, parseResult.GetValue(dihedral), new ImageHasher(), cancellationToken);
            if (parseResult.GetValue(CommonOptions.Json))
            {
                Console.WriteLine(JsonSerializer.Serialize(results, JsonOutput));
            }
            else
            {
                Render(results);
            }

            return results.Any(r => r.Error is not null) ? 1 : 0;
        });
        return command;
    }

    /// <summary>Hashes every file, two at a time, keeping their order; a file that fails gets its error and the others go on.</summary>
    internal static async Task<IReadOnlyList<HashOutput>> HashAllAsync(IReadOnlyList<string> files, bool dihedral, ImageHasher hasher, CancellationToken cancellationToken)
    {
        var results = new HashOutput[files.Count];
        await Parallel.ForAsync(0, files.Count, new ParallelOptions { MaxDegreeOfParallelism = 2, CancellationToken = cancellationToken }, async (i, token) =>
        {
            var file = files[i];
            try
            {
                if (dihedral)
                {
                    var all = await hasher.HashFileDihedralAsync(file, token);
                    results[i] = new HashOutput(file, all[PdqTransform.Original].ToString(), all.Quality, null,
                        Enum.GetValues<PdqTransform>().ToDictionary(t => t.ToString(), t => all[t].ToString()));
                }
                else
                {
                    var result = await hasher.HashFileAsync(file, token);
                    results[i] = new HashOutput(file, result.Hash.ToString(), result.Quality, null, null);
                }
            }
            catch (ImageDecodeException exception)
            {
                results[i] = new HashOutput(file, null, null, exception.Reason, null);
            }
        });
        return results;
    }

    /// <summary>One line per file, hash first like <c>sha256sum</c> (a table would wrap the 64 digits): hash, quality, file;
    /// failures go to standard error. Plain text, not Spectre markup, because Spectre wraps lines at the console width.</summary>
    private static void Render(IReadOnlyList<HashOutput> results)
    {
        foreach (var result in results)
        {
            if (result.Error is not null)
            {
                Console.Error.WriteLine($"lineage hash: cannot decode image '{result.File}': {result.Error}");
                continue;
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{result.Hash}  {result.Quality,3}  {result.File}"));
            foreach (var (transform, hash) in result.Dihedral ?? new Dictionary<string, string>())
            {
                Console.WriteLine($"{hash}       {transform}");
            }
        }
    }

    /// <summary>One file's line of output: its hash and quality, or why it could not be hashed.</summary>
    internal sealed record HashOutput(string File, string? Hash, int? Quality, string? Error, IReadOnlyDictionary<string, string>? Dihedral);
}
