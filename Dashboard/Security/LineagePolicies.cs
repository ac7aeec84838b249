namespace Lineage.Dashboard.Security;

/// <summary>Names of the authorization policies that guard operators' endpoints.</summary>
public static class LineagePolicies
{
    /// <summary>The operator role: the dashboard, its JSON API and /metrics. Until authentication exists it admits every caller, and
    /// the silo's HTTP listener is bound to 127.0.0.1; replace the policy (same name) to require a role.</summary>
    public const string Operator = "lineage-operator";
}
