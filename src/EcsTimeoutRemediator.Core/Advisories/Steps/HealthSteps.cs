using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Diagnosis;
using static EcsTimeoutRemediator.Advisories.Steps.StepArgs;

namespace EcsTimeoutRemediator.Advisories.Steps;

/// <summary>The load-balancer and container health areas: the grace period, the health checks, the address the application listens on.</summary>
internal sealed class HealthSteps : IFixSteps
{
    public IReadOnlyList<string> Fixes { get; } = [FixId.RaiseHealthCheckGrace, FixId.FixHealthCheck, FixId.RaiseContainerHealthStartPeriod, FixId.BindAllInterfaces];

    public IEnumerable<NextStep> Steps(string fix, CommandTargets t, ClassificationResult c)
    {
        var r = t.Region;
        var cl = t.Cluster;
        switch (fix)
        {
            case FixId.RaiseHealthCheckGrace:
                yield return NextStep.Change("Give the application more time before load balancer health checks count (seconds)",
                    "aws", "ecs", "update-service", "--region", r, "--cluster", cl, "--service", Service(t), "--health-check-grace-period-seconds", "120");
                break;
            case FixId.FixHealthCheck when t.TargetGroupArn is not null || c.Evidence.TargetGroupArn is not null:
                var tg = TargetGroup(t);
                if (t.TargetGroupArn is { } diagnosed && t.ContainerPort is { } port && int.TryParse(t.HealthCheckPort, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var probed) && probed != port)
                {
                    yield return NextStep.Change(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Health-check the port ECS registers the targets on ({port}) instead of {probed}"),
                        "aws", "elbv2", "modify-target-group", "--region", r, "--target-group-arn", diagnosed, "--health-check-port", "traffic-port");
                }

                if (t.TargetGroupArn is { } mismatched && t.HealthCheckCodeMismatch)
                {
                    yield return NextStep.Change("Health-check a path the application answers with 200-399 (replace '<health-check-path>')",
                        "aws", "elbv2", "modify-target-group", "--region", r, "--target-group-arn", mismatched, "--health-check-path", "<health-check-path>", "--matcher", "HttpCode=200-399");
                }

                yield return NextStep.Check("Check the target group's health check path, port, matcher and thresholds", Fact.TargetGroupHealthCheck,
                    "aws", "elbv2", "describe-target-groups", "--region", r, "--target-group-arns", tg, "--query", "TargetGroups[0].{path:HealthCheckPath,port:HealthCheckPort,protocol:HealthCheckProtocol,matcher:Matcher.HttpCode,interval:HealthCheckIntervalSeconds,timeout:HealthCheckTimeoutSeconds,unhealthyThreshold:UnhealthyThresholdCount}");
                yield return NextStep.Check("See why the targets are unhealthy (Target.Timeout, Target.ResponseCodeMismatch, …)", Fact.TargetHealth,
                    "aws", "elbv2", "describe-target-health", "--region", r, "--target-group-arn", tg);
                break;
            case FixId.FixHealthCheck:
            case FixId.RaiseContainerHealthStartPeriod:
                yield return NextStep.Check("Check the container health check command and its start period", Fact.ContainerHealthCheck,
                    "aws", "ecs", "describe-task-definition", "--region", r, "--task-definition", TaskDef(t), "--query", "taskDefinition.containerDefinitions[].{name:name,healthCheck:healthCheck,portMappings:portMappings}");
                break;
            case FixId.BindAllInterfaces:
                yield return NextStep.Check("From inside a running task, check that the application listens on 0.0.0.0 and answers its health path", null,
                    "aws", "ecs", "execute-command", "--region", r, "--cluster", cl, "--task", "<running-task-id>", "--container", t.ContainerName ?? "<container>", "--interactive", "--command", "/bin/sh");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(fix), fix, "not a fix of this area");
        }
    }
}
