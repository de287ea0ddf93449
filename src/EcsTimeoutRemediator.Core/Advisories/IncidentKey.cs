using System.Security.Cryptography;
using System.Text;

namespace EcsTimeoutRemediator.Advisories;

/// <summary>
/// The identity of an incident: (account, region, cluster, service or task family, category), as one stable
/// string such as <c>111122223333:us-east-1:payments:api:image-pull/network</c>. Chat threads key on it
/// (the Chatbot <c>threadId</c>), and so can a ledger. It is at most <see cref="MaxLength"/> characters of
/// <c>[A-Za-z0-9._:/-]</c>: a part that does not fit is replaced by a short hash of itself, so the key stays
/// deterministic.
/// </summary>
public readonly record struct IncidentKey
{
    public const int MaxLength = 128;
    private const int PartMaxLength = 40;

    private IncidentKey(string value) => Value = value;

    public string Value { get; }

    /// <summary>The key of an incident; a missing part becomes <c>-</c>.</summary>
    public static IncidentKey For(string? account, string? region, string? cluster, string? serviceOrFamily, string? category)
    {
        var value = string.Join(':', Part(account), Part(region), Part(cluster), Part(serviceOrFamily), Part(category));
        return new IncidentKey(value.Length <= MaxLength ? value : value[..(MaxLength - 17)] + "~" + Hash(value)[..16]);
    }

    /// <summary>The key of the incident a task's failure belongs to: its service, else its task family.</summary>
    public static IncidentKey For(TaskIdentity task, string category)
    {
        ArgumentNullException.ThrowIfNull(task);
        return For(task.Account, task.Region, task.Cluster, task.Service ?? task.Family, category);
    }

    public override string ToString() => Value ?? "";

    private static string Part(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return "-";
        }

        var sb = new StringBuilder(value.Length);
        foreach (var ch in value.Trim())
        {
            sb.Append(char.IsAsciiLetterOrDigit(ch) || ch is '.' or '_' or '/' or '-' ? ch : '_');
        }

        var clean = sb.ToString();
        var changed = !string.Equals(clean, value.Trim(), StringComparison.Ordinal);
        if (clean.Length <= PartMaxLength && !changed)
        {
            return clean;
        }

        // Two different names must not collapse to one key: a cleaned or shortened part carries its hash.
        return clean[..Math.Min(clean.Length, PartMaxLength - 9)] + "~" + Hash(value)[..8];
    }

    private static string Hash(string value) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
}
