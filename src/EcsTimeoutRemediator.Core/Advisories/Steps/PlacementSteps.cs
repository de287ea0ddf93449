using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Diagnosis;
using EcsTimeoutRemediator.Events;
using static EcsTimeoutRemediator.Advisories.Steps.StepArgs;

namespace EcsTimeoutRemediator.Advisories.Steps;

/// <summary>The placement and capacity area: subnet addresses, the task definition, capacity providers, constraints and the failed deployment.</summary>
internal sealed class PlacementSteps : IFixSteps
{
    public IReadOnlyList<string> Fixes { get; } = [FixId.FreeSubnetAddresses, FixId.UseActiveTaskDefinition, FixId.EnableManagedScaling, FixId.AddClusterCapacity, FixId.FixPlacementConstraints, FixId.RollBackDeployment];

    public IEnumerable<NextStep> Steps(string fix, CommandTargets t, ClassificationResult c)
    {
        var r = t.Region;
        var cl = t.Cluster;
        switch (fix)
        {
            case FixId.FreeSubnetAddresses:
                yield return NextStep.Check(t.Subnets.Count > 1 ? "Check the free IP addresses of the service's subnets" : "Check the free IP addresses of the task's subnet", Fact.SubnetAddresses,
                    "aws", "ec2", "describe-subnets", "--region", r, "--filters", $"Name=subnet-id,Values={string.Join(',', Subnets(t))}",
                    "--query", "Subnets[].{id:SubnetId,free:AvailableIpAddressCount,cidr:CidrBlock,zone:AvailabilityZone}");
                if (t.Service is not null && t.AssignPublicIp is { } publicIp && t.ShortSubnets.Count > 0)
                {
                    yield return t.RoomySubnets.Count > 0
                        ? NextStep.Change("Place the service's tasks only in its subnets with free addresses (add a new subnet to the list if they are too few)",
                            "aws", "ecs", "update-service", "--region", r, "--cluster", cl, "--service", Service(t), "--network-configuration", NetworkConfiguration(t.RoomySubnets, Groups(t), publicIp))
                        : NextStep.Change("Give the service a subnet with free addresses (replace '<subnet-with-free-addresses>'; it must be in the same VPC)",
                            "aws", "ecs", "update-service", "--region", r, "--cluster", cl, "--service", Service(t), "--network-configuration", NetworkConfiguration(["<subnet-with-free-addresses>"], Groups(t), publicIp));
                }

                yield return NextStep.Check("See what holds the addresses: a network interface in status available is attached to nothing and can be deleted (aws ec2 delete-network-interface)", null,
                    "aws", "ec2", "describe-network-interfaces", "--region", r, "--filters", $"Name=subnet-id,Values={string.Join(',', t.ShortSubnets.Count > 0 ? t.ShortSubnets : Subnets(t))}",
                    "--query", "NetworkInterfaces[].{id:NetworkInterfaceId,status:Status,type:InterfaceType,description:Description}");
                break;
            case FixId.UseActiveTaskDefinition:
                var family = ArnParts.FamilyOf(t.TaskDefinition) ?? "<family>";
                yield return NextStep.Check("Check the task definition's status (ACTIVE, INACTIVE or DELETE_IN_PROGRESS; a deleted one cannot be described)", Fact.TaskDefinitionStatus,
                    "aws", "ecs", "describe-task-definition", "--region", r, "--task-definition", TaskDef(t), "--query", "taskDefinition.{status:status,revision:revision,deregisteredAt:deregisteredAt}");
                yield return NextStep.Check($"List the ACTIVE revisions of {family}, newest first", null,
                    "aws", "ecs", "list-task-definitions", "--region", r, "--family-prefix", family, "--status", "ACTIVE", "--sort", "DESC", "--max-items", "5");
                yield return NextStep.Change("Point the service at an ACTIVE revision (replace '<revision>'; or register a new one first with aws ecs register-task-definition)",
                    "aws", "ecs", "update-service", "--region", r, "--cluster", cl, "--service", Service(t), "--task-definition", $"{family}:<revision>");
                break;
            case FixId.EnableManagedScaling:
                foreach (var provider in t.ScalingProviders.Where(p => !p.ManagedScalingEnabled).DefaultIfEmpty())
                {
                    var name = provider?.Name ?? "<capacity-provider>";
                    yield return NextStep.Change($"Let ECS grow the Auto Scaling group{(provider?.AutoScalingGroupName is { } g ? $" {g}" : "")} of capacity provider {name} for the tasks it has to place",
                        "aws", "ecs", "update-capacity-provider", "--region", r, "--name", name, "--auto-scaling-group-provider", "managedScaling={status=ENABLED,targetCapacity=100}");
                }

                break;
            case FixId.RollBackDeployment:
                var deployment = t.DeploymentId ?? "<deployment-id>";
                if (!t.RolledBack)
                {
                    yield return NextStep.Change(t.PreviousTaskDefinition is null
                            ? "Roll the service back by hand to the revision that last ran (replace '<previous-task-definition>')"
                            : "Roll the service back by hand to the revision its other deployment runs",
                        "aws", "ecs", "update-service", "--region", r, "--cluster", cl, "--service", Service(t), "--task-definition", t.PreviousTaskDefinition ?? "<previous-task-definition>");
                }

                if (t.CircuitBreaker is not { Enable: true, Rollback: true })
                {
                    yield return NextStep.Change("Let the circuit breaker roll a failed deployment back by itself",
                        "aws", "ecs", "update-service", "--region", r, "--cluster", cl, "--service", Service(t), "--deployment-configuration",
                        string.Create(System.Globalization.CultureInfo.InvariantCulture,
                            $"deploymentCircuitBreaker={{enable=true,rollback=true}},maximumPercent={t.MaximumPercent ?? 200},minimumHealthyPercent={t.MinimumHealthyPercent ?? 100}"));
                }

                yield return NextStep.Check($"List the stopped tasks of deployment {deployment} (visible for about an hour), then describe them for their stop reasons", null,
                    "aws", "ecs", "list-tasks", "--region", r, "--cluster", cl, "--started-by", deployment, "--desired-status", "STOPPED");
                break;
            case FixId.AddClusterCapacity:
                foreach (var provider in t.ScalingProviders.DistinctBy(p => p.AutoScalingGroupName))
                {
                    var group = provider.AutoScalingGroupName!;
                    yield return NextStep.Change($"Give {group} instances (replace the placeholders; the maximum bounds the desired capacity); they join cluster {cl} through the ECS agent",
                        "aws", "autoscaling", "update-auto-scaling-group", "--region", r, "--auto-scaling-group-name", group, "--max-size", "<max-size>", "--desired-capacity", "<instances>");
                    yield return NextStep.Check($"Check the Auto Scaling group {group} behind capacity provider {provider.Name}: its sizes and its instances", null,
                        "aws", "autoscaling", "describe-auto-scaling-groups", "--region", r, "--auto-scaling-group-names", group,
                        "--query", "AutoScalingGroups[0].{desired:DesiredCapacity,min:MinSize,max:MaxSize,instances:Instances[].{id:InstanceId,state:LifecycleState,health:HealthStatus}}");
                }

                yield return NextStep.Check("Read the service's latest events: the placement failure names the missing resource (CPU, memory, ENI, ports, capacity provider)", Fact.StopCause,
                    "aws", "ecs", "describe-services", "--region", r, "--cluster", cl, "--services", Service(t), "--query", "services[0].{capacityProviderStrategy:capacityProviderStrategy,launchType:launchType,events:events[:5].message}");
                yield return NextStep.Check("Check the cluster's capacity providers and registered instances", Fact.ClusterCapacity,
                    "aws", "ecs", "describe-clusters", "--region", r, "--clusters", cl, "--query", "clusters[0].{capacityProviders:capacityProviders,defaultStrategy:defaultCapacityProviderStrategy,instances:registeredContainerInstancesCount,pending:pendingTasksCount}");
                yield return NextStep.Check("List the container instances (EC2), then describe them for their free CPU, memory and ports", Fact.ContainerInstances,
                    "aws", "ecs", "list-container-instances", "--region", r, "--cluster", cl, "--query", "containerInstanceArns");
                break;
            case FixId.FixPlacementConstraints:
                yield return NextStep.Check("Compare the task's placement constraints and required attributes with the container instances", null,
                    "aws", "ecs", "describe-task-definition", "--region", r, "--task-definition", TaskDef(t), "--query", "taskDefinition.{placementConstraints:placementConstraints,requiresAttributes:requiresAttributes[].name,cpu:cpu,memory:memory,networkMode:networkMode}");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(fix), fix, "not a fix of this area");
        }
    }
}
