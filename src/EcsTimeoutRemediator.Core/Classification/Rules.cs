namespace EcsTimeoutRemediator.Classification;

/// <summary>The start-up step a failure happened in, decided once from the signals.</summary>
public enum Step
{
    None,
    Eni,
    Efs,
    Logs,
    RegistryAuth,
    Secrets,
    Pull,
}

/// <summary>The kind of failure, decided once from the signals.</summary>
public enum FailureKind
{
    None,
    NotFound,
    Invalid,
    RateLimit,
    Permission,
    Network,
    Exhausted,
    UnexpectedStatus,
}

/// <summary>Everything a rule may look at: the signals of the whole stop and the step and kind derived from them.</summary>
public readonly record struct StopSignals(Signal All, Step Step, FailureKind Kind, string? StopCode, bool AnyNonZeroExit)
{
    public bool Has(Signal s) => (All & s) != 0;

    /// <summary>The stop reason, the stop code or a container's reason names a failure: the stop is not benign.</summary>
    public bool NamesFailure => (All & Signal.FailureMarkers) != 0;

    public static Step StepOf(Signal s) =>
        (s & Signal.Eni) != 0 ? Step.Eni
        : (s & Signal.Efs) != 0 ? Step.Efs
        : (s & Signal.Logs) != 0 ? Step.Logs
        : (s & Signal.RegistryAuth) != 0 ? Step.RegistryAuth
        : (s & Signal.Secrets) != 0 ? Step.Secrets
        : (s & Signal.Pull) != 0 ? Step.Pull
        // Fargate's execution-role step named alone: for a value that is missing or malformed it is a secret (registry
        // credentials live in one too); otherwise its advice (the network path to ECR, Secrets Manager and SSM) is the same.
        : (s & Signal.SecretsOrRegistryAuth) != 0
            ? (s & (Signal.NotFound | Signal.ExplicitNotFound | Signal.Invalid)) != 0 ? Step.Secrets : Step.RegistryAuth
        : Step.None;

    public static FailureKind KindOf(Signal s) =>
        (s & Signal.ExplicitDenial) != 0 ? FailureKind.Permission
        : (s & Signal.ExplicitNotFound) != 0 ? FailureKind.NotFound
        : (s & Signal.ExplicitNetwork) != 0 ? FailureKind.Network
        : (s & Signal.Exhausted) != 0 ? FailureKind.Exhausted
        : (s & Signal.NotFound) != 0 ? FailureKind.NotFound
        : (s & Signal.RateLimit) != 0 ? FailureKind.RateLimit
        : (s & Signal.Permission) != 0 ? FailureKind.Permission
        : (s & Signal.Network) != 0 ? FailureKind.Network
        : (s & Signal.AuthFailed) != 0 ? FailureKind.Permission
        : (s & Signal.Invalid) != 0 ? FailureKind.Invalid
        : (s & Signal.UnexpectedStatus) != 0 ? FailureKind.UnexpectedStatus
        : FailureKind.None;
}

/// <summary>One classification rule: when it applies, what it concludes, and which remedies fit.</summary>
public abstract class ClassificationRule
{
    public abstract string Category { get; }
    /// <summary>The fixes this rule proposes: its category's (<see cref="CategoryTable"/>), or fewer where the rule knows more.</summary>
    public virtual IReadOnlyList<string> Fixes => CategoryTable.Of(Category).Fixes;
    public string Name => GetType().Name;

    public string Family => _family ??= Classification.Category.FamilyOf(Category);

    private string? _family;

    /// <summary>The confidence of this rule's conclusion, or null when the rule does not apply.</summary>
    public abstract double? Match(in StopSignals s);

    public abstract string Summarize(Evidence e);

    /// <summary>The signal whose text is the best evidence for this rule (used to pick the matched text).</summary>
    public abstract Signal Decisive { get; }
}

/// <summary>A failure in one start-up step, of one kind (for example: image pull, network).</summary>
public abstract class StepFailureRule(Step[] steps, FailureKind[] kinds, Signal decisive) : ClassificationRule
{
    public override Signal Decisive => decisive;

    public override double? Match(in StopSignals s)
    {
        if (Array.IndexOf(steps, s.Step) < 0)
        {
            return null;
        }

        if (Array.IndexOf(kinds, s.Kind) < 0)
        {
            return null;
        }

        // A step without a stated kind is most often a time-out whose tail was cut at 255 characters.
        return s.Kind == FailureKind.None ? 0.55 : 0.9;
    }

    protected static string Host(Evidence e, string fallback) => e.EndpointHost ?? e.RegistryHost ?? fallback;
}

public sealed class ImagePullNetworkRule() : StepFailureRule(
    [Step.Pull, Step.RegistryAuth], [FailureKind.Network, FailureKind.None], Signal.Pull | Signal.RegistryAuth)
{
    public override string Category => Classification.Category.ImagePullNetwork;
    public override string Summarize(Evidence e) =>
        $"The task could not reach the image registry {Host(e, "")}".TrimEnd() + " in time: the image pull or registry authentication timed out on the network path (no route, no public IP, missing VPC endpoint or a closed security group).";
}

public sealed class ImagePullPermissionRule() : StepFailureRule(
    [Step.Pull, Step.RegistryAuth], [FailureKind.Permission], Signal.Pull | Signal.RegistryAuth)
{
    public override string Category => Classification.Category.ImagePullPermission;
    public override string Summarize(Evidence e) =>
        $"The registry {Host(e, "")}".TrimEnd() + " refused the image pull: the task execution role (or the registry credentials) lacks permission to authenticate or read the image.";
}

public sealed class ImagePullNotFoundRule() : StepFailureRule([Step.Pull, Step.RegistryAuth], [FailureKind.NotFound, FailureKind.Invalid], Signal.Pull)
{
    public override string Category => Classification.Category.ImagePullNotFound;
    public override string Summarize(Evidence e) =>
        $"The image {e.Image ?? "referenced by the task definition"} does not exist in its registry (wrong repository, tag or digest, or a private repository pulled without credentials).";
}

public sealed class ImagePullRateLimitRule() : StepFailureRule([Step.Pull, Step.RegistryAuth], [FailureKind.RateLimit], Signal.Pull)
{
    public override string Category => Classification.Category.ImagePullRateLimit;
    public override string Summarize(Evidence e) =>
        $"The registry {Host(e, "")}".TrimEnd() + " throttled the image pull (pull rate limit reached).";
}

public sealed class SecretsNetworkRule() : StepFailureRule([Step.Secrets], [FailureKind.Network, FailureKind.None], Signal.Secrets)
{
    public override string Category => Classification.Category.SecretsNetwork;
    public override string Summarize(Evidence e) =>
        "The task could not reach Secrets Manager or SSM Parameter Store in time to fetch its secrets (no route, no public IP, missing VPC endpoint or a closed security group).";
}

public sealed class SecretsPermissionRule() : StepFailureRule([Step.Secrets], [FailureKind.Permission], Signal.Secrets)
{
    public override string Category => Classification.Category.SecretsPermission;
    public override string Summarize(Evidence e) =>
        $"The task execution role is not allowed to read {(e.SecretArns is [var first, ..] ? first : "a secret or parameter of the task definition")} (secretsmanager:GetSecretValue, ssm:GetParameters or kms:Decrypt).";
}

public sealed class SecretsNotFoundRule() : StepFailureRule([Step.Secrets], [FailureKind.NotFound, FailureKind.Invalid], Signal.Secrets)
{
    public override string Category => Classification.Category.SecretsNotFound;
    public override string Summarize(Evidence e) =>
        $"A secret or parameter referenced by the task definition does not exist{(e.SecretArns is [var first, ..] ? $" ({first})" : "")}.";
}

public sealed class LogsNetworkRule() : StepFailureRule([Step.Logs], [FailureKind.Network, FailureKind.None], Signal.Logs)
{
    public override string Category => Classification.Category.LogsNetwork;
    public override string Summarize(Evidence e) =>
        "The awslogs log driver could not reach CloudWatch Logs in time, so the container was never started (no route, no public IP, missing logs VPC endpoint or a closed security group).";
}

public sealed class LogsPermissionRule() : StepFailureRule([Step.Logs], [FailureKind.Permission], Signal.Logs)
{
    public override string Category => Classification.Category.LogsPermission;
    public override string Summarize(Evidence e) =>
        "The task execution role is not allowed to write to CloudWatch Logs (logs:CreateLogStream / logs:PutLogEvents), so the log driver failed to start.";
}

public sealed class LogsNotFoundRule() : StepFailureRule([Step.Logs], [FailureKind.NotFound, FailureKind.Invalid], Signal.Logs)
{
    public override string Category => Classification.Category.LogsNotFound;
    public override string Summarize(Evidence e) =>
        $"The CloudWatch log group {e.LogGroup ?? "of the awslogs configuration"} does not exist and the task may not create it.";
}

public sealed class EfsNetworkRule() : StepFailureRule([Step.Efs], [FailureKind.Network, FailureKind.None, FailureKind.NotFound], Signal.Efs)
{
    public override string Category => Classification.Category.EfsNetwork;
    public override string Summarize(Evidence e) =>
        $"The EFS volume {e.FileSystemId ?? ""}".TrimEnd() + " could not be mounted over the network (no mount target in the task's Availability Zone, NFS port 2049 closed, or DNS resolution failed).";
}

public sealed class EfsPermissionRule() : StepFailureRule([Step.Efs], [FailureKind.Permission], Signal.Efs)
{
    public override string Category => Classification.Category.EfsPermission;
    public override string Summarize(Evidence e) =>
        $"The EFS file system {e.FileSystemId ?? ""}".TrimEnd() + " refused the mount (file system policy, access point or IAM authorization denies the task role).";
}

public sealed class EniTimeoutRule() : StepFailureRule(
    [Step.Eni], [FailureKind.Network, FailureKind.None, FailureKind.NotFound, FailureKind.Permission, FailureKind.RateLimit], Signal.Eni)
{
    public override string Category => Classification.Category.EniTimeout;
    public override string Summarize(Evidence e) =>
        "The task's elastic network interface was not provisioned or attached in time (subnet out of free IP addresses, ENI quota, or a transient EC2 delay).";
}

/// <summary>Rules that decide on one specific signal, optionally with a stop code, independent of step and kind.</summary>
public abstract class SignalRule(Signal signal, string? stopCode, double confidence) : ClassificationRule
{
    public override Signal Decisive => signal;

    public override double? Match(in StopSignals s)
    {
        if (s.Has(signal))
        {
            return confidence;
        }

        return stopCode is not null && string.Equals(s.StopCode, stopCode, StringComparison.OrdinalIgnoreCase) ? confidence - 0.2 : null;
    }
}

/// <summary>
/// A benign stop, decided only on positive evidence: a benign marker or stop code, and nothing in the stop reason,
/// the stop code or any container's reason that names a failure. Silence must be earned, never defaulted to.
/// </summary>
public abstract class BenignRule(Signal signal, string? stopCode, double confidence) : SignalRule(signal, stopCode, confidence)
{

    public override double? Match(in StopSignals s) => s.NamesFailure ? null : base.Match(s);
}

public sealed class SpotInterruptionRule() : BenignRule(Signal.Spot, "SpotInterruption", 0.95)
{
    public override string Category => Classification.Category.BenignSpot;
    public override string Summarize(Evidence e) => "The Spot capacity running the task was reclaimed; the scheduler replaces the task on its own.";
}

public sealed class ElbHealthRule() : SignalRule(Signal.ElbHealth, null, 0.95)
{
    public override string Category => Classification.Category.HealthElb;
    public override string Summarize(Evidence e) =>
        $"The load balancer marked the task unhealthy{(e.TargetGroupArn is { } tg ? $" in target group {ShortTargetGroup(tg)}" : "")} and the service replaced it: the application did not answer its health check in time.";

    private static string ShortTargetGroup(string arn)
    {
        var i = arn.IndexOf("targetgroup/", StringComparison.Ordinal);
        return i < 0 ? arn : arn[(i + "targetgroup/".Length)..].Split('/')[0];
    }
}

public sealed class UserStopRule() : BenignRule(Signal.UserStop, "UserInitiated", 0.95)
{
    public override string Category => Classification.Category.BenignUser;
    public override string Summarize(Evidence e) => "A person or an automation stopped the task on purpose (StopTask).";
}

public sealed class MaintenanceRule() : BenignRule(Signal.Maintenance, "TerminationNotice", 0.85)
{
    public override string Category => Classification.Category.BenignMaintenance;
    public override string Summarize(Evidence e) => "AWS retired or maintained the infrastructure under the task; the scheduler replaces it on its own.";
}

public sealed class PlatformMismatchRule() : SignalRule(Signal.Platform, null, 0.9)
{
    public override string Category => Classification.Category.ImagePullPlatform;
    public override string Summarize(Evidence e) =>
        $"The image {e.Image ?? ""}".TrimEnd() + " was not built for the task's CPU architecture / operating system (runtimePlatform).";
}

/// <summary>
/// The image was fetched but could not be unpacked or stored: a layer that does not apply, a snapshotter or
/// storage-driver error, or no space left on the host or in the task's ephemeral storage while extracting.
/// </summary>
public sealed class ImageUnpackRule() : ClassificationRule
{
    public override string Category => Classification.Category.ImagePullUnpack;
    public override Signal Decisive => Signal.Unpack | Signal.Exhausted;

    public override double? Match(in StopSignals s) =>
        s.Has(Signal.Unpack) ? 0.85
        : s.Has(Signal.Exhausted) && s.Step is Step.Pull or Step.RegistryAuth ? 0.8
        : null;

    public override string Summarize(Evidence e) =>
        $"The image {e.Image ?? ""}".TrimEnd() + " was downloaded but could not be unpacked: the host or the task's ephemeral storage ran out of space, the storage driver failed, or the image's layers or media types do not match its manifest. The network and the registry are not the cause.";
}

/// <summary>ECS could not place the task: no container instance or Fargate capacity met its CPU, memory, ENI, port or attribute requirements.</summary>
public sealed class PlacementCapacityRule() : SignalRule(Signal.Placement, null, 0.9)
{
    public override string Category => Classification.Category.PlacementCapacity;

    public override string Summarize(Evidence e) =>
        "ECS could not place the task: no container instance or capacity provider had the CPU, memory, free network interface or port it needs, none matched its placement constraints, or the capacity provider has no instances.";
}

/// <summary>
/// ECS tried to launch instances for a capacity provider and was refused (the infrastructure role may not pass the
/// instance role or launch instances): capacity is not the cause, and adding it would not help.
/// </summary>
public sealed class CapacityProviderDeniedRule : UnremediatedRule
{
    public override Signal Decisive => Signal.Placement | Signal.ExplicitDenial;
    public override double? Match(in StopSignals s) => s.Has(Signal.Placement) && s.Has(Signal.ExplicitDenial) ? 0.7 : null;
    public override string Summarize(Evidence e) =>
        "ECS could not launch instances for the capacity provider because AWS refused the call: the capacity provider's infrastructure role lacks a permission (often iam:PassRole on the instance role). Capacity is not the cause.";
}

public sealed class ContainerHealthRule() : SignalRule(Signal.ContainerHealth, null, 0.9)
{
    public override string Category => Classification.Category.HealthContainer;
    public override string Summarize(Evidence e) =>
        $"The container health check of {e.ContainerName ?? "an essential container"} kept failing, so ECS stopped the task.";
}

public sealed class OutOfMemoryRule() : SignalRule(Signal.Oom, null, 0.95)
{
    public override string Category => Classification.Category.ExitOom;
    public override string Summarize(Evidence e) =>
        $"The container {e.ContainerName ?? ""}".TrimEnd() + " was killed for using more memory than its limit (out of memory).";
}

public sealed class ContainerStartRule() : SignalRule(Signal.StartFailure, null, 0.85)
{
    public override string Category => Classification.Category.StartContainer;
    public override string Summarize(Evidence e) =>
        $"The container runtime could not create or start {e.ContainerName ?? "a container"} (entry point, command, volume or runtime error).";
}

/// <summary>A scale-in or deployment replaced the task: the service scheduler stopped it with no failure signal.</summary>
public sealed class ScalingRule() : BenignRule(Signal.Scaling, "ServiceSchedulerInitiated", 0.85)
{
    public override string Category => Classification.Category.BenignScaling;
    public override string Summarize(Evidence e) => "The service scheduler stopped the task during a deployment or scale-in.";
}

public sealed class EssentialExitRule() : ClassificationRule
{
    public override string Category => Classification.Category.ExitEssential;
    public override Signal Decisive => Signal.EssentialExit;

    public override double? Match(in StopSignals s) =>
        s.Has(Signal.EssentialExit) ? 0.85 : s.AnyNonZeroExit ? 0.7 : null;

    public override string Summarize(Evidence e) => e.ExitCode switch
    {
        137 => $"The essential container {e.ContainerName ?? ""} was killed with SIGKILL (exit code 137); no out-of-memory reason was reported, so check the stop timeout and the application logs.".Replace("  ", " ", StringComparison.Ordinal),
        { } code => $"The essential container {e.ContainerName ?? ""} exited with code {code}, which stopped the task.".Replace("  ", " ", StringComparison.Ordinal),
        null => "An essential container exited, which stopped the task.",
    };
}

/// <summary>A start-up failure that names no step: a resource initialization or a failed start with no detail.</summary>
public sealed class GenericStartFailureRule() : ClassificationRule
{
    public override string Category => Classification.Category.StartContainer;
    public override Signal Decisive => Signal.ResourceInit;
    public override IReadOnlyList<string> Fixes { get; } = [FixId.FixContainerCommand];

    public override double? Match(in StopSignals s) => s.Has(Signal.ResourceInit) ? 0.5 : null;

    public override string Summarize(Evidence e) => "The task failed to start while its resources were being initialized; the message names no specific step.";
}

/// <summary>
/// A stop that is understood but belongs to no failure category this product remedies: it stays
/// <c>unknown</c>, with a summary that says what it was.
/// </summary>
public abstract class UnremediatedRule : ClassificationRule
{
    public override string Category => Classification.Category.Unknown;
}

public sealed class HostResourceRule : UnremediatedRule
{
    public override Signal Decisive => Signal.Exhausted;
    public override double? Match(in StopSignals s) =>
        s.Has(Signal.Exhausted) && !s.Has(Signal.Unpack) && s.Step is not (Step.Pull or Step.RegistryAuth) ? 0.6 : null;
    public override string Summarize(Evidence e) =>
        "The task's host ran out of disk or ephemeral storage while starting the task; free space on the instance or raise ephemeralStorage.";
}

public sealed class AwsThrottleRule : UnremediatedRule
{
    public override Signal Decisive => Signal.RateLimit;
    public override double? Match(in StopSignals s) =>
        s.Kind == FailureKind.RateLimit && s.Step is Step.Logs or Step.Secrets or Step.Efs ? 0.6 : null;
    public override string Summarize(Evidence e) =>
        "An AWS API throttled the agent while it prepared the task (rate exceeded); this is transient unless many tasks start at once.";
}

public sealed class StopFailureRule : UnremediatedRule
{
    public override Signal Decisive => Signal.StopFailure;
    public override double? Match(in StopSignals s) => s.Has(Signal.StopFailure) ? 0.6 : null;
    public override string Summarize(Evidence e) =>
        "The agent could not stop a container cleanly; this is not a start-up failure.";
}

public sealed class RegistryStatusRule : UnremediatedRule
{
    public override Signal Decisive => Signal.UnexpectedStatus;
    public override double? Match(in StopSignals s) =>
        s.Kind == FailureKind.UnexpectedStatus && s.Step is Step.Pull or Step.RegistryAuth ? 0.4 : null;
    public override string Summarize(Evidence e) => e.HttpStatus is >= 500 and <= 599
        ? $"The registry answered the image pull with HTTP {e.HttpStatus} (a server-side error of the registry or a proxy in front of it); the task's network reached it."
        : "The registry answered the image pull with an unexpected HTTP status that the cut message no longer shows.";
}

public sealed class EnvironmentFilesRule : UnremediatedRule
{
    public override Signal Decisive => Signal.EnvFiles;
    public override double? Match(in StopSignals s) => s.Has(Signal.EnvFiles) && s.Step is Step.None ? 0.6 : null;
    public override string Summarize(Evidence e) =>
        "The task's environment files could not be downloaded from S3 (missing object, s3:GetObject denied, or no route to S3).";
}

public sealed class LogConfigurationRule : UnremediatedRule
{
    public override Signal Decisive => Signal.Misconfigured;
    public override double? Match(in StopSignals s) =>
        s.Step == Step.Logs && s.Has(Signal.Misconfigured) && s.Kind is not (FailureKind.Permission or FailureKind.NotFound or FailureKind.Network)
            ? 0.6
            : null;
    public override string Summarize(Evidence e) =>
        "The log driver configuration of the task definition is invalid (an unknown option or a required option without a value); CloudWatch Logs was never called, so the network and permissions are not the cause.";
}

/// <summary>
/// A person or an automation stopped the task and gave a reason that names a failure ("migration exceeded its
/// time-out"): not benign, and no start-up step is named, so a person reads it.
/// </summary>
public sealed class UserStopNamingFailureRule : UnremediatedRule
{
    // Words a free-text reason may hold; any other signal names a step or an outcome that its own rule decides.
    private const Signal Generic = Signal.BenignMarkers | Signal.FailureWord | Signal.Network | Signal.ExplicitNetwork | Signal.Permission
        | Signal.NotFound | Signal.RateLimit | Signal.Invalid | Signal.Exhausted | Signal.UnexpectedStatus;

    public override Signal Decisive => Signal.UserStop;

    public override double? Match(in StopSignals s) =>
        s.Has(Signal.UserStop) && s.NamesFailure && s.Step == Step.None && (s.All & ~Generic) == 0 ? 0.5 : null;

    public override string Summarize(Evidence e) =>
        "A person or an automation stopped the task, and the reason it gave names a failure; read it.";
}

public sealed class DeploymentCircuitBreakerRule : UnremediatedRule
{
    public override Signal Decisive => Signal.CircuitBreaker;
    public override double? Match(in StopSignals s) => s.Has(Signal.CircuitBreaker) ? 0.6 : null;
    public override string Summarize(Evidence e) =>
        "The deployment circuit breaker stopped the task because the deployment's tasks kept failing to start; the stop reasons of those tasks and the service's events name the cause.";
}

/// <summary>
/// The host does not trust the registry's TLS certificate, or the registry speaks plain HTTP: the task reached the
/// registry, so the network advice would be wrong, and no category of this product remedies a trust store.
/// </summary>
public sealed class RegistryTrustRule : UnremediatedRule
{
    public override Signal Decisive => Signal.RegistryTrust;
    public override double? Match(in StopSignals s) =>
        s.Has(Signal.RegistryTrust) && s.Step is Step.Pull or Step.RegistryAuth or Step.None ? 0.6 : null;
    public override string Summarize(Evidence e) =>
        $"The registry {e.RegistryHost ?? ""}".Replace("  ", " ", StringComparison.Ordinal) + " was reached, but its TLS certificate is not trusted by the host (a private CA or an expired certificate) or it answered HTTPS with plain HTTP; trust its CA on the instances or serve it over HTTPS. The network path is not the cause.";
}

/// <summary>
/// The agent could not reach the container runtime on its own host (the Docker daemon is down, or its pipe needs
/// elevated rights on Windows): no registry, network path or role of the task is involved.
/// </summary>
public sealed class HostDaemonRule : UnremediatedRule
{
    public override Signal Decisive => Signal.HostDaemon;
    public override double? Match(in StopSignals s) => s.Has(Signal.HostDaemon) ? 0.6 : null;
    public override string Summarize(Evidence e) =>
        "The ECS agent could not talk to the container runtime on the container instance (the Docker daemon is not running or refuses the agent); check the daemon on the host. The registry and the network path are not the cause.";
}

/// <summary>efs-utils found no free local port for a mount's TLS tunnel: the host holds too many TLS mounts, not a network or permission fault.</summary>
public sealed class EfsTunnelPortRule : UnremediatedRule
{
    public override Signal Decisive => Signal.TunnelPorts;
    public override double? Match(in StopSignals s) => s.Has(Signal.TunnelPorts) ? 0.6 : null;
    public override string Summarize(Evidence e) =>
        "efs-utils found no free local port for the EFS mount's TLS tunnel on the host (too many TLS mounts on the instance, or a narrow port range in efs-utils.conf); the network and the file system policy are not the cause.";
}

/// <summary>A Docker volume plugin failed to create or mount a volume (not EFS): the plugin's own service is at fault.</summary>
public sealed class VolumePluginRule : UnremediatedRule
{
    public override Signal Decisive => Signal.VolumePlugin;
    public override double? Match(in StopSignals s) => s.Has(Signal.VolumePlugin) && s.Step == Step.None ? 0.5 : null;
    public override string Summarize(Evidence e) =>
        "A Docker volume plugin on the host failed to create or mount a volume of the task; read the plugin's logs on the instance.";
}

/// <summary>A service event says the service could not place or start a task, and its reason names no known cause.</summary>
public sealed class ServiceEventRule : UnremediatedRule
{
    public override Signal Decisive => Signal.ServiceEvent;
    public override double? Match(in StopSignals s) => s.Has(Signal.ServiceEvent) ? 0.4 : null;
    public override string Summarize(Evidence e) =>
        "The service could not place or start a task, and the reason of its event names no known cause; read the service's events.";
}

/// <summary>
/// efs-utils on the host is not configured (no Region it can find): the mount never left the instance, so neither
/// the mount target's network path nor the file system policy is the cause.
/// </summary>
public sealed class EfsConfigurationRule : UnremediatedRule
{
    public override Signal Decisive => Signal.Misconfigured;
    public override double? Match(in StopSignals s) =>
        s.Step == Step.Efs && s.Has(Signal.Misconfigured) && s.Kind is FailureKind.None or FailureKind.Invalid ? 0.6 : null;
    public override string Summarize(Evidence e) =>
        "efs-utils on the container instance is not configured (it found no Region; set it in /etc/amazon/efs/efs-utils.conf or the instance metadata); the network path and the file system policy are not the cause.";
}

public sealed class EfsPathRule : UnremediatedRule
{
    public override Signal Decisive => Signal.Efs;
    public override double? Match(in StopSignals s) => s.Step == Step.Efs && s.Kind == FailureKind.Invalid ? 0.6 : null;
    public override string Summarize(Evidence e) =>
        "The EFS mount reached the file system but the root directory or access point path does not exist.";
}

/// <summary>
/// The load balancer could not take the task as a target: its target group no longer exists, or it is in another VPC
/// than the task. No health check ran, so raising the grace period or fixing the health check would not help.
/// </summary>
public sealed class TargetRegistrationRule : UnremediatedRule
{
    public override Signal Decisive => Signal.TargetRegistration;
    public override double? Match(in StopSignals s) => s.Has(Signal.TargetRegistration) ? 0.6 : null;
    public override string Summarize(Evidence e) =>
        "The load balancer could not register the task as a target (the target group no longer exists, or it is in another VPC than the task); no health check ran. Fix the service's load balancer configuration.";
}

/// <summary>ECS replaced tasks for an unhealthy status without saying which health check failed.</summary>
public sealed class UnnamedHealthCheckRule : UnremediatedRule
{
    public override Signal Decisive => Signal.UnnamedHealthCheck;
    public override double? Match(in StopSignals s) =>
        s.Has(Signal.UnnamedHealthCheck) && !s.Has(Signal.ElbHealth) ? 0.5 : null;
    public override string Summarize(Evidence e) =>
        "ECS replaced tasks for an unhealthy status without saying which health check failed; the stopped tasks' reasons say whether it was the load balancer's or the container's.";
}

/// <summary>The ordered rule table: the first rule that matches decides.</summary>
public static class ClassificationRules
{
    public static IReadOnlyList<ClassificationRule> All { get; } =
    [
        // Benign rules first: they only apply when nothing names a failure (BenignRule), so their order is safe.
        new SpotInterruptionRule(),
        new TargetRegistrationRule(),
        new UnnamedHealthCheckRule(),
        new ElbHealthRule(),
        new CapacityProviderDeniedRule(),
        new PlacementCapacityRule(),
        new UserStopRule(),
        new UserStopNamingFailureRule(),
        new MaintenanceRule(),
        new EniTimeoutRule(),
        new HostResourceRule(),
        new AwsThrottleRule(),
        new EfsPathRule(),
        new EfsTunnelPortRule(),
        new EfsConfigurationRule(),
        new EfsPermissionRule(),
        new EfsNetworkRule(),
        new LogConfigurationRule(),
        new LogsNotFoundRule(),
        new LogsPermissionRule(),
        new LogsNetworkRule(),
        // Before every image-pull rule: a registry that was reached but not trusted is not a network fault,
        // and neither is a runtime the agent could not talk to.
        new RegistryTrustRule(),
        new HostDaemonRule(),
        // Platform before unpack: "failed to unpack image …: does not contain descriptor matching platform" is a platform mismatch.
        new PlatformMismatchRule(),
        new ImageUnpackRule(),
        new ImagePullNotFoundRule(),
        new ImagePullRateLimitRule(),
        new ImagePullPermissionRule(),
        new ImagePullNetworkRule(),
        new SecretsNotFoundRule(),
        new SecretsPermissionRule(),
        new SecretsNetworkRule(),
        new RegistryStatusRule(),
        new StopFailureRule(),
        new DeploymentCircuitBreakerRule(),
        new EnvironmentFilesRule(),
        new ContainerHealthRule(),
        new OutOfMemoryRule(),
        new VolumePluginRule(),
        new ContainerStartRule(),
        new ScalingRule(),
        new EssentialExitRule(),
        new GenericStartFailureRule(),
        new ServiceEventRule(),
    ];
}
