namespace EcsTimeoutRemediator.Advisories.Steps;

/// <summary>The arguments every area's commands are filled with: the diagnosed id, else a quoted placeholder the person fills.</summary>
internal static class StepArgs
{
    public static string Service(CommandTargets t) => t.Service ?? "<service>";

    public static string TaskDef(CommandTargets t) => t.TaskDefinition ?? "<task-definition>";

    public static string Subnet(CommandTargets t) => t.Subnet ?? "<subnet-id>";

    public static string Vpc(CommandTargets t) => t.VpcId ?? "<vpc-id>";

    public static string RouteTable(CommandTargets t) => t.RouteTableId ?? "<route-table-id>";

    public static string Role(CommandTargets t) => t.ExecutionRoleName ?? "<execution-role-name>";

    public static IReadOnlyList<string> Groups(CommandTargets t) => t.SecurityGroups.Count > 0 ? t.SecurityGroups : ["<task-security-group-id>"];

    public static IReadOnlyList<string> Subnets(CommandTargets t) => t.Subnets.Count > 0 ? t.Subnets : [Subnet(t)];

    /// <summary>The target group the service was read with, else the placeholder (never the stop message's).</summary>
    public static string TargetGroup(CommandTargets t) => t.TargetGroupArn ?? "<target-group-arn>";

    /// <summary>The image as the event's container or the task definition names it, else the placeholder (never the stop message's).</summary>
    public static string Image(CommandTargets t) => t.Image ?? "<image>";

    /// <summary>The task definition's file system, else the placeholder (never the stop message's).</summary>
    public static string FileSystem(CommandTargets t) => t.FileSystemId ?? "<file-system-id>";

    /// <summary>An awsvpcConfiguration in the CLI's shorthand (one argument).</summary>
    public static string NetworkConfiguration(IReadOnlyList<string> subnets, IReadOnlyList<string> groups, bool assignPublicIp) =>
        $"awsvpcConfiguration={{subnets=[{string.Join(',', subnets)}],securityGroups=[{string.Join(',', groups)}],assignPublicIp={(assignPublicIp ? "ENABLED" : "DISABLED")}}}";

    public static string Number(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
