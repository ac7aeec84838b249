using System.Net.Http.Json;
using System.Text.Json;
using Lineage.Runtime.Statistics;

namespace Lineage.Client.Http;

/// <summary>Typed access to a silo's HTTP API, with errors that say which silo failed and how.</summary>
internal sealed class SiloApiClient(Uri baseAddress) : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly HttpClient _http = new() { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(15) };

    public Uri BaseAddress => baseAddress;

    public Task<JsonElement> GetJsonAsync(string path, CancellationToken cancellationToken) => GetAsync<JsonElement>(path, cancellationToken);

    public Task<RuntimeStatisticsSnapshot> GetRuntimeStatisticsAsync(CancellationToken cancellationToken) =>
        GetAsync<RuntimeStatisticsSnapshot>("/api/runtime/stats", cancellationToken);

    private async Task<T> GetAsync<T>(string path, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await _http.GetAsync(path, cancellationToken);
        }
        catch (HttpRequestException exception)
        {
            throw new SiloApiException($"Cannot reach the silo at {baseAddress}: {exception.Message}. Is it running? Set --url or LINEAGE_URL.", exception);
        }
        catch (TaskCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SiloApiException($"The silo at {baseAddress} did not answer {path} within {_http.Timeout.TotalSeconds:0} s.", exception);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                throw new SiloApiException($"The silo at {baseAddress} answered {path} with {(int)response.StatusCode} {response.ReasonPhrase}: {body}");
            }

            return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken)
                ?? throw new SiloApiException($"The silo at {baseAddress} answered {path} with an empty body.");
        }
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>A silo API call failed; the message is meant for the person at the terminal.</summary>
internal sealed class SiloApiException(string message, Exception? inner = null) : Exception(message, inner);
