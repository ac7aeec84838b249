namespace Lineage.Tests.Domain;

/// <summary>Finds the project's read-only reference data (../shared/data next to the repository).</summary>
public static class SharedData
{
    public static string File(string relative)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "shared", "data", relative);
            if (System.IO.File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"The reference data file shared/data/{relative} was not found above {AppContext.BaseDirectory}.");
    }
}
