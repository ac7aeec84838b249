using System.Reflection;

namespace Lineage.Dashboard.Api;

/// <summary>The page's files, embedded in this assembly and read once: HTML, CSS and JavaScript modules, no build step.</summary>
internal sealed class DashboardAssets
{
    private const string Prefix = "dashboard/";

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".svg"] = "image/svg+xml",
    };

    private readonly Dictionary<string, (byte[] Content, string ContentType)> _files = new(StringComparer.Ordinal);

    public DashboardAssets()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var file = name[Prefix.Length..].Replace('\\', '/');
            _files[file] = (copy.ToArray(), ContentTypes.GetValueOrDefault(Path.GetExtension(file), "application/octet-stream"));
        }
    }

    /// <summary>The file at <paramref name="path"/> (relative to /dashboard/), if the page has one.</summary>
    public bool TryGet(string path, out byte[] content, out string contentType)
    {
        if (_files.TryGetValue(path, out var file))
        {
            (content, contentType) = file;
            return true;
        }

        content = [];
        contentType = string.Empty;
        return false;
    }
}
