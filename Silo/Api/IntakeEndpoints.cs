using System.Buffers;
using System.IO.Pipelines;
using Lineage.Grains.Intake;

namespace Lineage.Silo.Api;

/// <summary>POST /api/lineage/sightings: NDJSON streams or JSON arrays of sightings, acknowledged once durable.</summary>
internal static class IntakeEndpoints
{
    /// <summary>Records registered together; the next chunk is read and parsed while one is being registered.</summary>
    private const int ChunkSize = 4096;

    public static IEndpointRouteBuilder MapIntakeEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/lineage/sightings", IngestAsync)
            .WithName("IngestSightings")
            .WithSummary("Registers sightings (NDJSON, one object per line, or a JSON array); answers once every accepted one is durable, with each refusal's line and reason.")
            .Accepts<Sighting[]>("application/x-ndjson", "application/json")
            .Produces<IntakeReport>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        endpoints.MapGet("/api/lineage/intake/stats", (IntakeCounters counters) => counters.Snapshot())
            .WithName("IntakeStatistics")
            .WithSummary("This silo's intake totals since it started, refusals counted by field.");
        endpoints.MapGet("/api/lineage/totals", (LineageTotalsCounter counter, CancellationToken cancellationToken) => counter.GetAsync(cancellationToken))
            .WithName("LineageTotals")
            .WithSummary("What the whole lineage holds (shared storage, so the same from every silo): posts seen, accounts, content fingerprints, subjects; counted at most every 10 s.");
        return endpoints;
    }

    private static async Task<IResult> IngestAsync(HttpRequest request, IntakeDispatcher dispatcher, IntakeCounters counters, CancellationToken cancellationToken)
    {
        var batches = new List<Task<IntakeReport>>();
        if (request.ContentType is { } type && type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            var body = await ReadAllAsync(request.BodyReader, cancellationToken);
            if (!SightingReader.TrySplitArray(body, out var elements, out var error))
            {
                return Results.Problem(error, statusCode: StatusCodes.Status400BadRequest, title: "Not a JSON array of sightings");
            }

            for (var start = 0; start < elements.Count; start += ChunkSize)
            {
                var chunk = new List<(int, SightingParse)>(Math.Min(ChunkSize, elements.Count - start));
                for (var i = start; i < Math.Min(elements.Count, start + ChunkSize); i++)
                {
                    chunk.Add((i + 1, SightingReader.Parse(elements[i].Span)));
                }

                batches.Add(dispatcher.RegisterAsync(chunk));
            }
        }
        else
        {
            await foreach (var chunk in ReadLinesAsync(request.BodyReader, cancellationToken))
            {
                // At most two chunks in flight: one registering, one being read, so memory stays bounded on a long stream.
                if (batches.Count > 0 && !batches[^1].IsCompleted)
                {
                    await batches[^1];
                }

                batches.Add(dispatcher.RegisterAsync(chunk));
            }
        }

        var reports = await Task.WhenAll(batches);
        var report = Merge(reports);
        counters.Add(report);
        return Results.Ok(report);
    }

    private static IntakeReport Merge(IntakeReport[] reports) => reports.Length == 1
        ? reports[0]
        : new IntakeReport(
            reports.Sum(r => r.Received), reports.Sum(r => r.Accepted), reports.Sum(r => r.Duplicates), reports.Sum(r => r.Refused),
            reports.Sum(r => r.Flagged), reports.SelectMany(r => r.Refusals).ToArray(), reports.SelectMany(r => r.Flags).ToArray());

    private static async Task<ReadOnlyMemory<byte>> ReadAllAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            if (result.IsCompleted)
            {
                var bytes = result.Buffer.ToArray();
                reader.AdvanceTo(result.Buffer.End);
                return bytes;
            }

            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    /// <summary>Splits an NDJSON body into chunks of parsed records, numbering lines from 1 (blank lines count but are not records).</summary>
    /// <remarks>A line longer than <see cref="SightingReader.MaxRecordBytes"/> is refused without being buffered whole: its bytes are
    /// dropped as they arrive until its end.</remarks>
    internal static async IAsyncEnumerable<List<(int Line, SightingParse Parse)>> ReadLinesAsync(
        PipeReader reader, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var chunk = new List<(int, SightingParse)>(ChunkSize);
        var line = 0;
        var skipping = false;
        var tooLong = SightingParse.Fail($"record: longer than {SightingReader.MaxRecordBytes} bytes");
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            while (buffer.PositionOf((byte)'\n') is { } end)
            {
                line++;
                var record = buffer.Slice(0, end);
                buffer = buffer.Slice(buffer.GetPosition(1, end));
                if (skipping)
                {
                    skipping = false;
                    chunk.Add((line, tooLong));
                }
                else if (Parse(record) is { } parse)
                {
                    chunk.Add((line, parse));
                }
            }

            if (result.IsCompleted)
            {
                if (skipping)
                {
                    chunk.Add((line + 1, tooLong));
                }
                else if (buffer.Length > 0 && Parse(buffer) is { } last)
                {
                    chunk.Add((line + 1, last));
                }

                reader.AdvanceTo(buffer.End);
                if (chunk.Count > 0)
                {
                    yield return chunk;
                }

                yield break;
            }

            if (skipping || buffer.Length > SightingReader.MaxRecordBytes)
            {
                skipping = true;
                reader.AdvanceTo(buffer.End);
            }
            else
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
            }

            if (chunk.Count >= ChunkSize)
            {
                yield return chunk;
                chunk = new List<(int, SightingParse)>(ChunkSize);
            }
        }
    }

    /// <summary>Parses one line; null for a blank one.</summary>
    private static SightingParse? Parse(ReadOnlySequence<byte> record)
    {
        ReadOnlySpan<byte> span = record.IsSingleSegment ? record.FirstSpan : record.ToArray();
        span = span.TrimEnd("\r"u8).Trim(" \t"u8);
        return span.IsEmpty ? null : SightingReader.Parse(span);
    }
}
