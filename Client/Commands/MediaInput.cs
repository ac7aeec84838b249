namespace Lineage.Client.Commands;

/// <summary>The sightings made from the image files of a <c>lineage ingest --media</c> run: the temporary NDJSON file sent to the silo,
/// which media file each of its lines came from, and the files refused before sending (missing, undecodable).</summary>
/// <param name="SightingsFile">The temporary NDJSON file of the sightings.</param>
/// <param name="Lines">Line i+1 of the file and the media file it came from.</param>
/// <param name="Refused">Files refused before sending, with the reason.</param>
/// <param name="RejectsBase">Where the default rejects file goes (with <c>.rejects.ndjson</c> appended): the first path given.</param>
internal sealed record MediaInput(string SightingsFile, IReadOnlyList<(string File, string Line)> Lines, IReadOnlyList<IngestReject> Refused, string RejectsBase)
{
    /// <summary>The summary of sending the sightings, with each silo refusal named by its media file rather than a line of the temporary
    /// file, and the files refused before sending added as refused records.</summary>
    public IngestSummary Attribute(IngestSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var rejects = new List<IngestReject>(Refused);
        foreach (var reject in summary.Rejects)
        {
            var index = (int)reject.Line - 1;
            rejects.Add(index >= 0 && index < Lines.Count ? reject with { File = Lines[index].File, Line = 0 } : reject);
        }

        return summary with
        {
            Records = summary.Records + Refused.Count,
            Refused = summary.Refused + Refused.Count,
            Rejects = [.. rejects.OrderBy(r => r.File, StringComparer.Ordinal)],
        };
    }
}
