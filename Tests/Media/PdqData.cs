namespace Lineage.Tests.Media;

/// <summary>Locates the shared PDQ reference data (<c>../shared/data/pdq</c> beside the repository).</summary>
internal static class PdqData
{
    public static string Directory { get; } = Find();

    public static string Images => Path.Combine(Directory, "images");

    public static string File(string name) => Path.Combine(Directory, name);

    /// <summary>The rows of expected.csv: image path (relative to images/), reference hash, which implementation produced it.</summary>
    public static IReadOnlyList<(string Image, string Expected, string Reference)> Expected() =>
        System.IO.File.ReadLines(File("expected.csv"))
            .Skip(1)
            .Where(line => line.Length > 0)
            .Select(line => line.Split(','))
            .Select(fields => (fields[0], fields[1], fields[2]))
            .ToArray();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "shared", "data", "pdq");
            if (System.IO.Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"The shared PDQ data (shared/data/pdq) was not found above {AppContext.BaseDirectory}.");
    }
}
