using System.CommandLine;
using System.Text.Json;
using Lineage.Client.Http;
using Spectre.Console;

namespace Lineage.Client.Commands;

/// <summary>Runs one GET against the silo and prints the answer: its JSON as is for --json, else rendered for people.</summary>
internal static class QueryRunner
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<int> RunAsync<T>(ParseResult parseResult, string command, string path, Action<IAnsiConsole, T> render, CancellationToken cancellationToken)
    {
        using var api = new SiloApiClient(parseResult.GetValue(CommonOptions.Url)!, TimeSpan.FromMinutes(5));
        try
        {
            var answer = await api.GetJsonAsync(path, cancellationToken);
            if (parseResult.GetValue(CommonOptions.Json))
            {
                Console.WriteLine(JsonSerializer.Serialize(answer, WalkOptions.JsonOutput));
            }
            else
            {
                render(AnsiConsole.Console, answer.Deserialize<T>(Json)!);
            }

            return 0;
        }
        catch (SiloApiException exception)
        {
            Console.Error.WriteLine($"lineage {command}: {exception.Message}");
            return exception.StatusCode == 404 ? 3 : 2;
        }
    }
}
