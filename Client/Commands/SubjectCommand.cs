using System.CommandLine;
using System.Globalization;
using Lineage.Client.Http;
using Lineage.Grains.Walks;

namespace Lineage.Client.Commands;

/// <summary><c>lineage subject ID</c>: a subject's accounts, their activity and co-sharing subjects; <c>--link</c>/<c>--unlink</c> record
/// an investigator's decision first.</summary>
internal static class SubjectCommand
{
    public static Command Create()
    {
        var id = new Argument<string>("id") { Description = "The subject id" };
        var hops = new Option<int>("--hops") { Description = "How far out to look for co-sharing subjects (1-3)", DefaultValueFactory = _ => 1 };
        var link = new Option<string?>("--link") { Description = "Link this account (platform/account) to the subject first" };
        var unlink = new Option<string?>("--unlink") { Description = "Unlink this account (platform/account) from the subject first" };
        var confidence = new Option<double>("--confidence") { Description = "Confidence of a link, 0-1", DefaultValueFactory = _ => 1.0 };
        var source = new Option<string?>("--source") { Description = "Who decides (required with --link/--unlink; default: $USER)" };
        var note = new Option<string?>("--note") { Description = "Why" };
        var command = new Command("subject", "Show a subject's accounts and co-sharing subjects; link or unlink accounts")
        {
            id, hops, link, unlink, confidence, source, note,
        };
        WalkOptions.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var subject = Uri.EscapeDataString(parseResult.GetValue(id)!);
            var who = parseResult.GetValue(source) ?? Environment.UserName;
            if (parseResult.GetValue(link) is not null || parseResult.GetValue(unlink) is not null)
            {
                var account = parseResult.GetValue(link) ?? parseResult.GetValue(unlink)!;
                if (WalkOptions.CheckKey("the account", account) is { } problem)
                {
                    Console.Error.WriteLine("lineage subject: " + problem);
                    return 2;
                }

                using var api = new SiloApiClient(parseResult.GetValue(CommonOptions.Url)!);
                try
                {
                    if (parseResult.GetValue(link) is not null)
                    {
                        await api.PostJsonAsync<System.Text.Json.JsonElement>($"/api/lineage/subjects/{subject}/links",
                            new { account, confidence = parseResult.GetValue(confidence), source = who, note = parseResult.GetValue(note) }, cancellationToken);
                    }
                    else
                    {
                        var why = parseResult.GetValue(note) is { } text ? "&note=" + Uri.EscapeDataString(text) : string.Empty;
                        await api.DeleteAsync($"/api/lineage/subjects/{subject}/links?account={Uri.EscapeDataString(account)}&source={Uri.EscapeDataString(who)}{why}", cancellationToken);
                    }
                }
                catch (SiloApiException exception)
                {
                    Console.Error.WriteLine($"lineage subject: {exception.Message}");
                    return exception.StatusCode == 404 ? 3 : 2;
                }
            }

            var query = string.Create(CultureInfo.InvariantCulture, $"/api/lineage/subjects/{subject}?hops={parseResult.GetValue(hops)}") + WalkOptions.Query(parseResult);
            return await QueryRunner.RunAsync<SubjectReport>(parseResult, "subject", query, LineageRendering.Subject, cancellationToken);
        });
        return command;
    }
}
