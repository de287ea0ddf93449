using System.Text.Json.Serialization;
using EcsTimeoutRemediator.Diagnosis;

namespace EcsTimeoutRemediator.Advisories;

/// <summary>What <c>ecs-remediator doctor</c> found for one service or task definition.</summary>
public sealed record DoctorReport
{
    [JsonPropertyName("region")] public required string Region { get; init; }

    /// <summary>The account that was checked through <see cref="RoleArn"/> (<c>doctor --account</c> or <c>--role-arn</c>); null: the caller's own.</summary>
    [JsonPropertyName("account")] public string? Account { get; init; }
    [JsonPropertyName("roleArn")] public string? RoleArn { get; init; }
    [JsonPropertyName("cluster")] public string? Cluster { get; init; }
    [JsonPropertyName("service")] public string? Service { get; init; }
    [JsonPropertyName("taskDefinition")] public string? TaskDefinition { get; init; }
    [JsonPropertyName("subnets")] public required IReadOnlyList<string> Subnets { get; init; }
    [JsonPropertyName("securityGroups")] public required IReadOnlyList<string> SecurityGroups { get; init; }

    /// <summary>Problems first (missing, then wrong), then what is fine, then what could not be known.</summary>
    [JsonPropertyName("findings")] public required IReadOnlyList<Finding> Findings { get; init; }
    [JsonPropertyName("readCalls")] public int ReadCalls { get; init; }

    /// <summary>The commands for each fix a problem calls for, in the order of the problems.</summary>
    [JsonPropertyName("fixes")] public IReadOnlyList<DoctorFix> Fixes { get; init; } = [];

    /// <summary>
    /// True when reads failed after the SDK's retries and none was answered: nothing could be read, and every
    /// finding is unknown (<c>doctor</c> exits 1).
    /// </summary>
    [JsonPropertyName("nothingRead")] public bool NothingRead { get; init; }

    /// <summary>True when at least one finding is missing or wrong.</summary>
    [JsonPropertyName("problems")] public bool HasProblems => Findings.Any(f => f.IsProblem);
}

/// <summary>One fix id and its copy-paste commands, as the plan places it (the fix, another way, or a further problem's fix).</summary>
public sealed record DoctorFix(
    [property: JsonPropertyName("fix")] string Fix,
    [property: JsonPropertyName("steps")] IReadOnlyList<NextStep> Steps)
{
    [JsonPropertyName("group")] public StepGroup Group { get; init; } = StepGroup.Fix;
}
