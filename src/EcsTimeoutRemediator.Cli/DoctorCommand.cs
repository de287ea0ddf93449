using System.Text.Json;
using EcsTimeoutRemediator.Advisories.Formats;
using EcsTimeoutRemediator.Advisories;
using EcsTimeoutRemediator.Aws.Adapters;
using EcsTimeoutRemediator.Aws.Clients;
using EcsTimeoutRemediator.Aws.Clients.Sts;
using EcsTimeoutRemediator.Context;
using EcsTimeoutRemediator.Diagnosis;
using EcsTimeoutRemediator.Gathering;
using EcsTimeoutRemediator.Ports;

namespace EcsTimeoutRemediator.Cli;

/// <summary>
/// <c>doctor</c>: every read-only check that applies to a service (or to a task definition in a given network, for
/// a service not yet created), whether or not a task has failed. Exit code 0 when nothing is missing or wrong, 3
/// when something is. A read AWS does not answer after the SDK's retries leaves its area's checks unknown and the
/// others still run; exit code 1 only when nothing at all could be read. <c>--account ID</c> (or <c>--role-arn ARN</c>) runs the checks in another account through its
/// member role, as the organization-wide function reads it; a refused role is the one finding.
/// </summary>
public static class DoctorCommand
{
    public static async Task<int> RunAsync(Options options, Stream stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(stderr);
        options.AllowOnly("doctor", "--cluster", "--service", "--task-definition", "--subnets", "--security-groups", "--assign-public-ip", "--target-group", "--format", "--account", "--role-arn");
        if (options.Positionals.Count > 0)
        {
            throw new UsageException($"doctor takes no file argument (got \"{options.Positionals[0]}\")");
        }

        var format = options.Get("--format") ?? "text";
        if (format is not ("text" or "json"))
        {
            throw new UsageException($"--format must be text or json, not \"{format}\"");
        }

        var settings = Settings.FromEnvironment();
        if (settings.Region is null)
        {
            throw new UsageException("AWS_REGION is not set");
        }

        var target = TargetOf(options, settings.Region);
        var roleArn = RoleOf(options, settings);
        using var clients = AwsClients.Create(settings.Region);
        DoctorReport report;
        try
        {
            report = roleArn is null
                ? await RunAsync(clients.Options, target).ConfigureAwait(false)
                : await RunInAccountAsync(clients, target, roleArn).ConfigureAwait(false);
        }
        catch (Exception ex) when (AwsErrorCodes.Describe(ex) is { } aws)
        {
            await stderr.WriteLineAsync(CliApp.AwsFailureLine(aws, "nothing was checked: run doctor again")).ConfigureAwait(false);
            return ExitCodes.InternalError;
        }

        var text = format == "json"
            ? JsonSerializer.Serialize(report, CliApp.IndentedContext.DoctorReport) + "\n"
            : Render(report);
        await CliApp.WriteAsync(stdout, text).ConfigureAwait(false);
        if (report.NothingRead)
        {
            // Every read failed after the SDK's retries: the report is all unknown, which is no answer.
            var failure = report.Findings.FirstOrDefault(f => f.Status == FindingStatus.Unknown)?.Message ?? "every read failed";
            await stderr.WriteLineAsync($"ecs-remediator: nothing could be read ({CliApp.OneLine(failure)}); run doctor again").ConfigureAwait(false);
            return ExitCodes.InternalError;
        }

        return report.HasProblems ? ExitCodes.FindingsMissing : ExitCodes.Ok;
    }

    /// <summary>The role <c>--account</c> (its member role, MEMBER_ROLE_NAME) or <c>--role-arn</c> names; null for neither.</summary>
    public static string? RoleOf(Options options, Settings settings)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(settings);
        var account = options.Get("--account");
        var roleArn = options.Get("--role-arn");
        if (account is not null && roleArn is not null)
        {
            throw new UsageException("doctor takes --account or --role-arn, not both");
        }

        if (account is not null)
        {
            return account.Length == 12 && account.All(char.IsAsciiDigit)
                ? OrganizationAccounts.MemberRoleArn(account, settings.Region, settings.MemberRoleName ?? AccountChecks.DefaultMemberRole)
                : throw new UsageException($"--account must be a 12-digit AWS account id, not \"{account}\"");
        }

        return roleArn is null || (roleArn.Split(':') is [ "arn", _, "iam", "", { Length: 12 } id, var resource ] && id.All(char.IsAsciiDigit) && resource.StartsWith("role/", StringComparison.Ordinal))
            ? roleArn
            : throw new UsageException($"--role-arn must be an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME), not \"{roleArn}\"");
    }

    private static async Task<DoctorReport> RunAsync(AwsClientsOptions options, DiagnosisTarget target)
    {
        using var clients = AwsClients.Create(options);
        return await Doctor.RunAsync(new ContextGatherer(AwsAccountPorts.From(clients)), target, CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>The checks in the role's account, through the role (as the organization-wide function reads it).</summary>
    private static async Task<DoctorReport> RunInAccountAsync(AwsClients caller, DiagnosisTarget target, string roleArn)
    {
        var account = roleArn.Split(':')[4];
        var inAccount = target with { Account = account };
        var (credentials, refusal) = await OrganizationAccounts.AssumeAsync(caller.Sts, roleArn, "ecs-remediator-doctor", CancellationToken.None).ConfigureAwait(false);
        var report = credentials is null
            ? Doctor.Refused(inAccount, new AccountRefusal(account, roleArn, refusal ?? "AccessDenied"))
            : await RunAsync(caller.Options with { Credentials = new AssumedRoleCredentials(credentials) }, inAccount).ConfigureAwait(false);
        return report with { Account = account, RoleArn = roleArn };
    }

    /// <summary>The target from the options: a service, or a task definition with its network.</summary>
    public static DiagnosisTarget TargetOf(Options options, string region)
    {
        ArgumentNullException.ThrowIfNull(options);
        var cluster = options.Get("--cluster");
        var service = options.Get("--service");
        var taskDefinition = options.Get("--task-definition");
        var subnets = List(options.Get("--subnets"));
        var groups = List(options.Get("--security-groups"));
        var assign = options.Get("--assign-public-ip");
        if (assign is not (null or "ENABLED" or "DISABLED"))
        {
            throw new UsageException($"--assign-public-ip must be ENABLED or DISABLED, not \"{assign}\"");
        }

        if (service is not null)
        {
            if (cluster is null)
            {
                throw new UsageException("doctor --service needs --cluster");
            }
        }
        else if (taskDefinition is null)
        {
            throw new UsageException("doctor needs --cluster C --service S, or --task-definition ARN --subnets a,b for a service not yet created");
        }
        else if (subnets.Count == 0)
        {
            throw new UsageException("doctor --task-definition needs --subnets (the subnets the service will run in)");
        }

        return new DiagnosisTarget
        {
            Region = region,
            Cluster = cluster,
            ServiceName = service,
            TaskDefinitionArn = taskDefinition,
            Subnets = subnets,
            SecurityGroups = groups,
            AssignPublicIp = assign is null ? (service is null ? false : null) : assign == "ENABLED",
            LaunchType = service is null ? "FARGATE" : null,
            TargetGroupArns = options.Get("--target-group") is { } tg ? [tg] : [],
        };
    }

    /// <summary>The table of findings and the fixes (<see cref="PlainText.Doctor"/>).</summary>
    public static string Render(DoctorReport report) => PlainText.Doctor(report);

    private static List<string> List(string? value) =>
        value is null ? [] : [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
