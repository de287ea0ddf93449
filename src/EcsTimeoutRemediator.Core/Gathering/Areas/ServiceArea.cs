using EcsTimeoutRemediator.Context;

namespace EcsTimeoutRemediator.Gathering.Areas;

/// <summary>
/// The service behind the event, read for every category: its network configuration, load balancers, deployments,
/// capacity providers and tags (the opt-in). What the service says completes the target every later area reads:
/// its subnets and security groups, public IP, launch type and platform version, and the account.
/// </summary>
internal sealed class ServiceArea : IGatheringArea
{
    public IReadOnlyList<ReadArea> Declares { get; } = [new("service", DiagnosisScope.Deployment, "ReadEcs", ["ecs:DescribeServices"])];

    public async Task<InfrastructureContext> ReadAsync(AreaRun run, InfrastructureContext context)
    {
        var target = context.Target!;
        ServiceFacts? service = null;
        if (target.ServiceName is { } serviceName && target.Cluster is { Length: > 0 } cluster)
        {
            service = await run.Reads.Try("ecs:DescribeServices", $"{cluster}/{serviceName}",
                () => run.Ports.Ecs.DescribeServiceAsync(cluster, serviceName, run.Cancellation)).ConfigureAwait(false);
        }

        var resolved = target with
        {
            Account = target.AccountOr(target.TaskDefinitionArn ?? service?.TaskDefinitionArn),
            Subnets = service?.Network?.Subnets is { Count: > 0 } subnets ? subnets : target.Subnets,
            SecurityGroups = service?.Network?.SecurityGroups is { Count: > 0 } groups ? groups : target.SecurityGroups,
            AssignPublicIp = service?.Network?.AssignPublicIp ?? target.AssignPublicIp,
            LaunchType = service?.IsFargate == true ? "FARGATE" : service?.LaunchType ?? target.LaunchType,
            PlatformVersion = service?.PlatformVersion ?? target.PlatformVersion,
        };
        return context with { Service = service, Target = resolved };
    }
}
