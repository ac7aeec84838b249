namespace Lineage.Grains.Intake;

/// <summary>What registering one sighting did.</summary>
public enum RegistrationOutcome
{
    /// <summary>A new claim was recorded (a new post, or new provenance for a known one).</summary>
    Accepted = 0,

    /// <summary>The very same sighting was already recorded; nothing changed.</summary>
    Duplicate = 1,

    /// <summary>Refused; <see cref="RegistrationResult.Reason"/> says why. Nothing was recorded.</summary>
    Refused = 2,
}

/// <summary>The outcome of registering a sighting, with the reason for a refusal and the flags raised on an accepted one.</summary>
/// <param name="Outcome">Accepted, duplicate or refused.</param>
/// <param name="Reason">Why it was refused, as "field: reason"; null otherwise.</param>
/// <param name="ChildBeforeParent">The post was observed before the parent it claims (kept, flagged), as far as known now.</param>
/// <param name="DisputedParent">The post now has more than one claimed parent (kept, shown as disputed).</param>
public sealed record RegistrationResult(RegistrationOutcome Outcome, string? Reason = null, bool ChildBeforeParent = false, bool DisputedParent = false)
{
    /// <summary>The result of a sighting that was already recorded.</summary>
    public static RegistrationResult Duplicate { get; } = new(RegistrationOutcome.Duplicate);

    /// <summary>A refusal with its reason.</summary>
    public static RegistrationResult Refuse(string reason) => new(RegistrationOutcome.Refused, reason);
}
