using System.CommandLine;

namespace Lineage.Client.Commands;

/// <summary>Options every command shares: where the silo is, and whether to print JSON for scripts.</summary>
internal static class CommonOptions
{
    /// <summary>Environment variable that sets the silo's address when --url is not given.</summary>
    public const string UrlVariable = "LINEAGE_URL";

    /// <summary>The silo address used when neither --url nor LINEAGE_URL is set (the silo's default binding).</summary>
    public const string DefaultUrl = "http://127.0.0.1:7070";

    public static readonly Option<Uri> Url = new("--url")
    {
        Description = $"Silo HTTP address (default: ${UrlVariable}, else {DefaultUrl})",
        Recursive = true,
        DefaultValueFactory = _ => new Uri(Environment.GetEnvironmentVariable(UrlVariable) is { Length: > 0 } url ? url : DefaultUrl),
        CustomParser = result =>
        {
            // System.CommandLine has no converter for Uri; without this, --url fails with an unhandled exception.
            var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : DefaultUrl;
            if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
            {
                return uri;
            }

            result.AddError($"--url: '{text}' is not an http:// or https:// address");
            return null;
        },
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Print machine-readable JSON instead of tables",
        Recursive = true,
    };
}
