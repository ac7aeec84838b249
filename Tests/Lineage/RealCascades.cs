using System.Collections.Concurrent;
using System.Formats.Tar;
using System.IO.Compression;
using Lineage.Client.Commands.Cascades;

namespace Lineage.Tests.Domain;

/// <summary>Real Twitter15/16 trees from the shared archive, raw and converted to sighting NDJSON, read once per test run.</summary>
public static class RealCascades
{
    private static readonly ConcurrentDictionary<string, string> Trees = new(StringComparer.Ordinal);

    /// <summary>The raw text of each named tree ("twitter15/tree/ID.txt"), read from the archive in one pass for all of them.</summary>
    public static IReadOnlyDictionary<string, string> Raw(params string[] treePaths)
    {
        var missing = treePaths.Where(p => !Trees.ContainsKey(p)).ToHashSet(StringComparer.Ordinal);
        if (missing.Count > 0)
        {
            using var gzip = new GZipStream(File.OpenRead(SharedData.File("cascades/twitter15_16_trees.tar.gz")), CompressionMode.Decompress);
            using var tar = new TarReader(gzip);
            while (missing.Count > 0 && tar.GetNextEntry() is { } entry)
            {
                if (missing.FirstOrDefault(w => entry.Name.EndsWith(w, StringComparison.Ordinal)) is { } name && entry.DataStream is { } data)
                {
                    using var reader = new StreamReader(data);
                    Trees[name] = reader.ReadToEnd();
                    missing.Remove(name);
                }
            }

            Assert.True(missing.Count == 0, $"not in the archive: {string.Join(", ", missing)}");
        }

        return treePaths.ToDictionary(p => p, p => Trees[p], StringComparer.Ordinal);
    }

    /// <summary>The sighting NDJSON lines the cascade converter writes for one tree.</summary>
    public static IReadOnlyList<string> SightingLines(string treePath)
    {
        using var writer = new StringWriter();
        new CascadeConverter(writer, new ConversionReport()).ConvertTree(treePath, new StringReader(Raw(treePath)[treePath]));
        return writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
