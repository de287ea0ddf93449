using EcsTimeoutRemediator.Classification;

namespace EcsTimeoutRemediator.Advisories;

/// <summary>
/// Links to the AWS console pages people open next: the ECS service (health tab) or the task, and the
/// <c>AWSSupport-TroubleshootECSTaskFailedToStart</c> Systems Manager runbook with the cluster and task filled in.
/// </summary>
public static class ConsoleLinks
{
    public const string TroubleshootRunbook = "AWSSupport-TroubleshootECSTaskFailedToStart";

    /// <summary>The service's health page, or the task's page when the task belongs to no service; null when the
    /// region or cluster is unknown.</summary>
    public static string? For(TaskIdentity task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return task.Service is { Length: > 0 } service
            ? task.EventName is not null ? ServiceEventsPage(task.Region, task.Cluster, service) : ServicePage(task.Region, task.Cluster, service)
            : TaskPage(task.Region, task.Cluster, TaskId(task.TaskArn));
    }

    public static string? ServicePage(string? region, string? cluster, string? service) =>
        IsRegion(region) && Usable(cluster) && Usable(service)
            ? $"{Origin(region!)}/ecs/v2/clusters/{E(cluster!)}/services/{E(service!)}/health?region={E(region!)}"
            : null;

    /// <summary>The service's events tab: where a placement, configuration or deployment failure is told in full.</summary>
    public static string? ServiceEventsPage(string? region, string? cluster, string? service) =>
        IsRegion(region) && Usable(cluster) && Usable(service)
            ? $"{Origin(region!)}/ecs/v2/clusters/{E(cluster!)}/services/{E(service!)}/events?region={E(region!)}"
            : null;

    public static string? TaskPage(string? region, string? cluster, string? taskId) =>
        IsRegion(region) && Usable(cluster) && Usable(taskId)
            ? $"{Origin(region!)}/ecs/v2/clusters/{E(cluster!)}/tasks/{E(taskId!)}/configuration?region={E(region!)}"
            : null;

    /// <summary>
    /// The runbook's execute page with its two required parameters, <c>ClusterName</c> and <c>TaskId</c>, filled
    /// in after the hash the way the console reads them (<c>#documentVersion=$LATEST&amp;Name=value</c>), for failures during
    /// start-up (image pull, secrets, logs, EFS, ENI, container start); null for health checks, exits and the
    /// rest, which the runbook does not examine.
    /// </summary>
    public static string? Runbook(TaskIdentity task, string category)
    {
        ArgumentNullException.ThrowIfNull(task);
        var taskId = TaskId(task.TaskArn);
        return IsStartupFailure(category) && IsRegion(task.Region) && Usable(task.Cluster) && Usable(taskId)
            ? $"{Origin(task.Region!)}/systems-manager/automation/execute/{TroubleshootRunbook}?region={E(task.Region!)}#documentVersion=%24LATEST&ClusterName={E(task.Cluster!)}&TaskId={E(taskId!)}"
            : null;
    }

    /// <summary>
    /// " (account 111122223333)": which account a link opens in. A console URL cannot name the account, and one
    /// organization-wide deployment advises for many, so every link's label says which one to sign in to. Empty when
    /// the event's account is not a 12-digit id.
    /// </summary>
    public static string InAccount(TaskIdentity task) => AccountOf(task) is { } account ? $" (account {account})" : "";

    /// <summary>The event's account when it is a 12-digit id (the only form a label shows); else null.</summary>
    public static string? AccountOf(TaskIdentity task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return task.Account is { Length: 12 } account && account.All(char.IsAsciiDigit) ? account : null;
    }

    /// <summary>The task never ran: it failed while ECS prepared or started it.</summary>
    public static bool IsStartupFailure(string category) => CategoryTable.Of(category).StartupFailure;

    /// <summary><c>arn:aws:ecs:r:a:task/cluster/ID</c> → <c>ID</c>.</summary>
    public static string? TaskId(string? taskArn)
    {
        if (string.IsNullOrEmpty(taskArn))
        {
            return null;
        }

        var slash = taskArn.LastIndexOf('/');
        return slash >= 0 && slash < taskArn.Length - 1 ? taskArn[(slash + 1)..] : null;
    }

    /// <summary>The console origin of the region's partition.</summary>
    private static string Origin(string region) =>
        region.StartsWith("cn-", StringComparison.Ordinal) ? $"https://{region}.console.amazonaws.cn"
        : region.StartsWith("us-gov-", StringComparison.Ordinal) ? $"https://{region}.console.amazonaws-us-gov.com"
        : $"https://{region}.console.aws.amazon.com";

    private static bool IsRegion(string? region) =>
        !string.IsNullOrEmpty(region) && region.Length <= 32 && region.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');

    private static bool Usable(string? value) => !string.IsNullOrWhiteSpace(value) && !value.StartsWith('<');

    private static string E(string value) => Uri.EscapeDataString(value);
}
