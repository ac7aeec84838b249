using System.CommandLine;
using Lineage.Grains.Walks;

namespace Lineage.Client.Commands;

/// <summary><c>lineage account platform/account</c>: its posts and reshares, whom it reshared, who reshared it, linked subjects.</summary>
internal static class AccountCommand
{
    public static Command Create()
    {
        var account = new Argument<string>("account") { Description = "The account, written platform/account" };
        var command = new Command("account", "Show an account's posts, reshares in both directions and linked subjects") { account };
        WalkOptions.AddTo(command);
        command.SetAction((parseResult, cancellationToken) =>
        {
            var key = parseResult.GetValue(account)!;
            if (WalkOptions.CheckKey("the account", key) is { } problem)
            {
                Console.Error.WriteLine("lineage account: " + problem);
                return Task.FromResult(2);
            }

            return QueryRunner.RunAsync<AccountReport>(parseResult, "account", $"/api/lineage/account?account={Uri.EscapeDataString(key)}{WalkOptions.Query(parseResult)}", LineageRendering.Account, cancellationToken);
        });
        return command;
    }
}
