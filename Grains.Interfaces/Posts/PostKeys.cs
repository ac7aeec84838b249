namespace Lineage.Grains;

/// <summary>Grain keys of platform-scoped things (posts, accounts): "platform/id". The platform never contains '/', the id may.</summary>
public static class PostKeys
{
    /// <summary>"platform/id".</summary>
    public static string Compose(string platform, string id) => platform + "/" + id;

    /// <summary>Splits "platform/id" at its first '/'.</summary>
    public static (string Platform, string Id) Split(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? (string.Empty, key) : (key[..slash], key[(slash + 1)..]);
    }
}
