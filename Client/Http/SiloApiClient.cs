using System.Net.Http.Json;
using System.Text.Json;
using Lineage.Grains.Intake;
using Lineage.Runtime.Statistics;

namespace Lineage.Client.Http;

/// <summary>Typed access to a silo's HTTP API, with errors that say which silo failed and how.</summary>
internal sealed class SiloApiClient(Uri baseAddress, TimeSpan? timeout = null) : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly HttpClient _http = new() { BaseAddress = baseAddress, Timeout = timeout ?? TimeSpan.FromSeconds(15) };

    public Uri BaseAddress => baseAddress;

    public Task<JsonElement> GetJsonAsync(string path, CancellationToken cancellationToken) => GetAsync<JsonElement>(path, cancellationToken);

    public Task<T> GetAsync<T>(string path, CancellationToken cancellationToken) => SendAsync<T>(HttpMethod.Get, path, null, cancellationToken);

    /// <summary>Sends one NDJSON batch of sightings; the answer comes once every accepted sighting in it is durable.</summary>
    public Task<IntakeReport> PostSightingsAsync(ReadOnlyMemory<byte> ndjson, CancellationToken cancellationToken)
    {
        var content = new ReadOnlyMemoryContent(ndjson);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-ndjson");
        return SendAsync<IntakeReport>(HttpMethod.Post, "/api/lineage/sightings", content, cancellationToken);
    }

    public Task<T> PostJsonAsync<T>(string path, object body, CancellationToken cancellationToken) =>
        SendAsync<T>(HttpMethod.Post, path, JsonContent.Create(body, options: Json), cancellationToken);

    public async Task DeleteAsync(string path, CancellationToken cancellationToken) =>
        await SendAsync<JsonElement?>(HttpMethod.Delete, path, null, cancellationToken);

    public Task<RuntimeStatisticsSnapshot> GetRuntimeStatisticsAsync(CancellationToken cancellationToken) =>
        GetAsync<RuntimeStatisticsSnapshot>("/api/runtime/stats", cancellationToken);

    private async Task<T> SendAsync<T>(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            using var request = new HttpRequestMessage(method, path) { Content = content };
            response = await _http.SendAsync(request, cancellationToken);
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
                throw new SiloApiException(
                    $"The silo at {baseAddress} answered {path} with {(int)response.StatusCode} {response.ReasonPhrase}: {Detail(body)}",
                    statusCode: (int)response.StatusCode);
            }

            if (response.StatusCode == System.Net.HttpStatusCode.NoContent)
            {
                return default!;
            }

            return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken)
                ?? throw new SiloApiException($"The silo at {baseAddress} answered {path} with an empty body.");
        }
    }

    public void Dispose() => _http.Dispose();

    /// <summary>The "detail" of a problem response, else the body as it came.</summary>
    private static string Detail(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String ? detail.GetString()! : body;
        }
        catch (JsonException)
        {
            return body;
        }
    }
}

/// <summary>A silo API call failed; the message is meant for the person at the terminal.</summary>
internal sealed class SiloApiException(string message, Exception? inner = null, int? statusCode = null) : Exception(message, inner)
{
    /// <summary>The HTTP status the silo answered with; null when it did not answer.</summary>
    public int? StatusCode { get; } = statusCode;

    /// <summary>Whether trying again may succeed (no answer, or a server-side failure).</summary>
    public bool Transient => StatusCode is null or >= 500;
}
