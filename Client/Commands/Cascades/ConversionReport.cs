namespace Lineage.Client.Commands.Cascades;

/// <summary>What the cascade converter read, repaired, kept with a flag, and refused.</summary>
internal sealed class ConversionReport
{
    /// <summary>Most refused lines listed individually (all are counted).</summary>
    public const int MaxListed = 200;

    public int Files { get; set; }

    public int Trees { get; set; }

    public int Lines { get; set; }

    public int SightingsWritten { get; set; }

    /// <summary>Lines that are not an edge of the documented form; refused.</summary>
    public int MalformedLines { get; set; }

    /// <summary>The refused lines, as "file:line: reason".</summary>
    public List<string> Refused { get; } = [];

    /// <summary>Files whose name is not a tree id, or that hold no edge; refused.</summary>
    public int UnreadableFiles { get; set; }

    /// <summary>A tree present in both twitter15 and twitter16 with the same edges: written once.</summary>
    public int IdenticalTreesSkipped { get; set; }

    /// <summary>A tree id present in both sets with different edges: both written, their claims merge in Lineage.</summary>
    public int DivergentTreesMerged { get; set; }

    public int DuplicateLinesDropped { get; set; }

    public int SelfLoopsDropped { get; set; }

    /// <summary>Edges dropped to break two-node cycles (the edge whose parent comes later is dropped).</summary>
    public int TwoNodeCycleEdgesDropped { get; set; }

    /// <summary>Edges dropped to break longer cycles (back edges of a depth-first walk in node order).</summary>
    public int LongerCycleEdgesDropped { get; set; }

    /// <summary>Nodes with more than one parent: one sighting per parent, shown as disputed.</summary>
    public int NodesWithSeveralParents { get; set; }

    /// <summary>Edges whose child is earlier than its parent: kept; Lineage flags them.</summary>
    public int ChildrenEarlierThanParents { get; set; }

    /// <summary>Nodes with a negative delay (before the source tweet): kept as such.</summary>
    public int NegativeDelays { get; set; }

    /// <summary>Trees whose ROOT line names another tweet than the file: kept, rooted where the ROOT line says.</summary>
    public int RootsNotTheNamedTweet { get; set; }

    /// <summary>Trees with no ROOT line or more than one: kept; every node without a parent is a root.</summary>
    public int TreesWithoutSingleRoot { get; set; }

    /// <summary>Retweet nodes that reuse another node's tweet id and got a derived post id ("tweet-rt-uid").</summary>
    public int RetweetIdsDerived { get; set; }

    /// <summary>Post ids written by more than one tree (the same tweet seen in several cascades): their claims merge.</summary>
    public int PostIdsSharedBetweenTrees { get; set; }

    public void Refuse(string where, string reason)
    {
        MalformedLines++;
        if (Refused.Count < MaxListed)
        {
            Refused.Add(where + ": " + reason);
        }
    }
}
