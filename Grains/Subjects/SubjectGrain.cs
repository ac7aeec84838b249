using System.Globalization;
using System.Text.Json;
using Lineage.Grains.Accounts;
using Lineage.Runtime;
using Lineage.Runtime.Persistence.Edges;

namespace Lineage.Grains.Subjects;

/// <summary>A subject: link decisions about accounts, kept as edge rows here and mirrored on each account.</summary>
[GrainType(GrainTypes.Subject)]
public sealed class SubjectGrain(IEdgeStore edges, TimeProvider timeProvider) : Grain, ISubjectGrain
{
    private List<SubjectLinkEvent> _history = [];

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken) =>
        _history = await LinkEvents.ReadAllAsync(edges, GrainId);

    /// <inheritdoc />
    public async Task<SubjectLinkEvent> Link(string accountKey, double confidence, string source, string? sourceRef, string? note)
    {
        ValidateAccount(accountKey);
        ArgumentOutOfRangeException.ThrowIfLessThan(confidence, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(confidence, 1.0);
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        var linkEvent = new SubjectLinkEvent(GetPrimaryKeyString(), accountKey, true, confidence, source, sourceRef, note, NextTime());
        await RecordAsync(linkEvent);
        return linkEvent;
    }

    /// <inheritdoc />
    public async Task<bool> Unlink(string accountKey, string source, string? sourceRef, string? note)
    {
        ValidateAccount(accountKey);
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        if (!LinkEvents.Current(_history, e => e.AccountKey).Any(e => e.AccountKey == accountKey))
        {
            return false;
        }

        await RecordAsync(new SubjectLinkEvent(GetPrimaryKeyString(), accountKey, false, 0, source, sourceRef, note, NextTime()));
        return true;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<SubjectLinkEvent>> GetAccounts() => Task.FromResult(LinkEvents.Current(_history, e => e.AccountKey));

    /// <inheritdoc />
    public Task<IReadOnlyList<SubjectLinkEvent>> GetHistory() =>
        Task.FromResult<IReadOnlyList<SubjectLinkEvent>>(_history.OrderBy(e => e.At).ThenBy(e => e.AccountKey, StringComparer.Ordinal).ToArray());

    private static void ValidateAccount(string accountKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accountKey);
        if (accountKey.IndexOf('/', StringComparison.Ordinal) <= 0)
        {
            throw new ArgumentException($"'{accountKey}' is not an account key of the form platform/account.", nameof(accountKey));
        }
    }

    /// <summary>Now, but strictly after the last decision, so that two decisions in the same clock tick keep their order.</summary>
    private DateTimeOffset NextTime()
    {
        var now = timeProvider.GetUtcNow();
        var last = _history.Count == 0 ? DateTimeOffset.MinValue : _history.Max(e => e.At);
        return now > last ? now : last.AddTicks(1);
    }

    private async Task RecordAsync(SubjectLinkEvent linkEvent)
    {
        var key = string.Create(CultureInfo.InvariantCulture, $"{linkEvent.AccountKey}|{linkEvent.At.UtcTicks:D19}|{(linkEvent.Linked ? 'L' : 'U')}");
        var row = new EdgeRow(key, JsonSerializer.SerializeToUtf8Bytes(linkEvent, LinkEvents.Json));
        await Task.WhenAll(
            edges.AppendAsync(GrainId, Relations.Links, [row], CancellationToken.None).AsTask(),
            GrainFactory.GetGrain<IAccountGrain>(linkEvent.AccountKey).RecordSubjectLink(linkEvent));
        _history.Add(linkEvent);
    }
}
