namespace Lineage.Grains;

/// <summary>The grain type names of the domain grains, as they appear in grain ids and storage; fixed so that renaming a class keeps its data.</summary>
public static class GrainTypes
{
    /// <summary>Posts.</summary>
    public const string Post = "post";

    /// <summary>Accounts.</summary>
    public const string Account = "account";

    /// <summary>Content by fingerprint.</summary>
    public const string Content = "content";

    /// <summary>Subjects.</summary>
    public const string Subject = "subject";

    /// <summary>Referrals.</summary>
    public const string Referral = "referral";

    /// <summary>Distinct PDQ perceptual hashes (their owners and near-duplicate group links).</summary>
    public const string PdqHash = "pdq-hash";

    /// <summary>Partitions of the near-duplicate index.</summary>
    public const string NearDuplicatePartition = "pdq-partition";

    /// <summary>What the near-duplicate index was built with.</summary>
    public const string NearDuplicateManifest = "pdq-index";
}
