using System.Security.Cryptography;

namespace Lineage.Silo.Hosting;

/// <summary>The cluster secret of silos that share one machine's data directory and were given none: created once, readable only
/// by its owner, and read by every later silo (and by <c>lineage</c> on the same machine).</summary>
internal static class ClusterSecretFile
{
    /// <summary>File name inside the SQLite data directory.</summary>
    public const string FileName = "cluster.secret";

    public static string LoadOrCreate(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        var path = Path.Combine(dataDirectory, FileName);
        if (!File.Exists(path))
        {
            var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
            try
            {
                // CreateNew: when silos start together, exactly one writes and the others read what it wrote.
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }

                using var stream = new FileStream(path, options);
                using var writer = new StreamWriter(stream);
                writer.Write(secret);
                return secret;
            }
            catch (IOException) when (File.Exists(path))
            {
            }
        }

        var stored = File.ReadAllText(path).Trim();
        return stored.Length >= 16
            ? stored
            : throw new InvalidOperationException(
                $"{path} holds a cluster secret shorter than 16 characters; delete the file to have a new one made, or set Cluster:Secret.");
    }
}
