using System.Text;
using System.Text.Json;
using EcsTimeoutRemediator.Context;
using EcsTimeoutRemediator.Events;

namespace EcsTimeoutRemediator.Diagnosis;

/// <summary>
/// What the execution role (and, for EFS IAM authorization, the task role) must be allowed for the task to
/// start: derived from the task definition, on the exact resources it names.
/// </summary>
public static class RolePermissions
{
    public const string GetAuthorizationToken = "ecr:GetAuthorizationToken";
    public const string BatchGetImage = "ecr:BatchGetImage";
    public const string GetDownloadUrlForLayer = "ecr:GetDownloadUrlForLayer";
    public const string CreateLogStream = "logs:CreateLogStream";
    public const string PutLogEvents = "logs:PutLogEvents";
    public const string CreateLogGroup = "logs:CreateLogGroup";
    public const string GetSecretValue = "secretsmanager:GetSecretValue";
    public const string GetParameters = "ssm:GetParameters";
    public const string ClientMount = "elasticfilesystem:ClientMount";
    public const string Decrypt = "kms:Decrypt";

    /// <summary>The execution role's required permissions for the areas of <paramref name="scope"/>.</summary>
    public static IReadOnlyList<RequiredPermission> ForExecutionRole(TaskDefinitionFacts td, string region, string account, DiagnosisScope scope)
    {
        ArgumentNullException.ThrowIfNull(td);
        var required = new List<RequiredPermission>();
        foreach (var container in td.Containers)
        {
            if (scope.HasFlag(DiagnosisScope.EcrPermissions))
            {
                if (ImageReference.Parse(container.Image) is { IsEcr: true } image)
                {
                    var registryRegion = EcrRegion(image.Registry) ?? region;
                    var repositoryArn = $"arn:{ArnParts.PartitionOf(registryRegion)}:ecr:{registryRegion}:{image.RegistryId}:repository/{image.Repository}";
                    required.Add(new(GetAuthorizationToken, "*", $"pull {container.Image}"));
                    required.Add(new(BatchGetImage, repositoryArn, $"pull {container.Image}"));
                    required.Add(new(GetDownloadUrlForLayer, repositoryArn, $"pull {container.Image}"));
                }

                if (container.RepositoryCredentialsArn is { } credentials)
                {
                    required.Add(new(GetSecretValue, SecretArn(credentials), $"private registry credentials of {container.Name}"));
                }
            }

            if (scope.HasFlag(DiagnosisScope.LogsPermissions) && LogGroupOf(container, region) is { } log)
            {
                var stream = $"arn:{ArnParts.PartitionOf(log.Region)}:logs:{log.Region}:{account}:log-group:{log.Name}:log-stream:{log.StreamPrefix ?? "ecs"}/{container.Name}/task";
                required.Add(new(CreateLogStream, stream, $"awslogs of {container.Name}"));
                required.Add(new(PutLogEvents, stream, $"awslogs of {container.Name}"));
            }

            if (scope.HasFlag(DiagnosisScope.LogGroup) && LogGroupOf(container, region) is { CreateGroup: true } created)
            {
                required.Add(new(CreateLogGroup, $"arn:{ArnParts.PartitionOf(created.Region)}:logs:{created.Region}:{account}:log-group:{created.Name}:*", $"awslogs-create-group of {container.Name}"));
            }

            if (scope.HasFlag(DiagnosisScope.SecretsPermissions))
            {
                foreach (var valueFrom in container.SecretValueFrom)
                {
                    required.Add(IsSecretsManager(valueFrom)
                        ? new(GetSecretValue, SecretArn(valueFrom), $"secrets of {container.Name}")
                        : new(GetParameters, ParameterArn(valueFrom, region, account), $"secrets of {container.Name}"));
                }
            }
        }

        return [.. required.Distinct()];
    }

    /// <summary>
    /// <paramref name="required"/> plus kms:Decrypt on the customer managed key of each secret and parameter it
    /// reads (the AWS managed keys need no grant). The key policy must allow the role as well; the simulator
    /// checks the role's own policies.
    /// </summary>
    public static IReadOnlyList<RequiredPermission> WithKeyDecrypt(IReadOnlyList<RequiredPermission> required, IReadOnlyList<SecretKeyFacts> keys)
    {
        ArgumentNullException.ThrowIfNull(required);
        ArgumentNullException.ThrowIfNull(keys);
        var decrypt = required
            .Where(p => p.Action is GetSecretValue or GetParameters)
            .SelectMany(p => keys.Where(k => k.Resource == p.Resource && k.KeyArn is not null && k.KeyExists)
                .Select(k => new RequiredPermission(Decrypt, k.KeyArn!, $"decrypt {ShortName(k.Resource)} (key {k.KeyId})")));
        return [.. required.Concat(decrypt).Distinct()];
    }

    /// <summary>The secrets and parameters <paramref name="required"/> reads, by ARN.</summary>
    public static IReadOnlyList<string> SecretResources(IReadOnlyList<RequiredPermission> required)
    {
        ArgumentNullException.ThrowIfNull(required);
        return [.. required.Where(p => p.Action is GetSecretValue or GetParameters).Select(p => p.Resource).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>True for the AWS managed keys of Secrets Manager and Parameter Store (<c>alias/aws/…</c>), which need no grant.</summary>
    public static bool IsAwsManagedAlias(string? keyId) =>
        string.IsNullOrEmpty(keyId)
        || keyId.StartsWith("alias/aws/", StringComparison.Ordinal)
        || keyId.Contains(":alias/aws/", StringComparison.Ordinal);

    /// <summary>
    /// The key ARN a key reference names without asking KMS: a key ARN as is, a bare key id in the region and
    /// account of <paramref name="resourceArn"/>; null for an alias (only KMS can resolve it).
    /// </summary>
    public static string? KeyArnOf(string keyId, string resourceArn)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        ArgumentNullException.ThrowIfNull(resourceArn);
        if (keyId.StartsWith("arn:", StringComparison.Ordinal))
        {
            return keyId.Contains(":key/", StringComparison.Ordinal) ? keyId : null;
        }

        if (keyId.StartsWith("alias/", StringComparison.Ordinal))
        {
            return null;
        }

        var arn = ArnParts.Parse(resourceArn);
        return arn.Region is { Length: > 0 } region && arn.Account is { Length: > 0 } account
            ? $"arn:{arn.Partition ?? ArnParts.PartitionOf(region)}:kms:{region}:{account}:key/{keyId}"
            : null;
    }

    /// <summary>The name an SSM parameter ARN stands for; both spellings when the ARN cannot tell (<c>db</c> or <c>/db</c>).</summary>
    public static IReadOnlyList<string> ParameterNames(string parameterArn)
    {
        ArgumentNullException.ThrowIfNull(parameterArn);
        var at = parameterArn.IndexOf(":parameter/", StringComparison.Ordinal);
        if (at < 0)
        {
            return [parameterArn];
        }

        var path = parameterArn[(at + ":parameter/".Length)..];
        return path.Contains('/', StringComparison.Ordinal) ? ["/" + path] : [path, "/" + path];
    }

    private static string ShortName(string arn)
    {
        var secret = arn.IndexOf(":secret:", StringComparison.Ordinal);
        if (secret >= 0)
        {
            return "secret " + arn[(secret + ":secret:".Length)..];
        }

        var parameter = arn.IndexOf(":parameter/", StringComparison.Ordinal);
        return parameter >= 0 ? "parameter " + arn[(parameter + ":parameter".Length)..] : arn;
    }

    /// <summary>The task role's permissions for EFS volumes with IAM authorization.</summary>
    public static IReadOnlyList<RequiredPermission> ForTaskRole(TaskDefinitionFacts td, string region, string account)
    {
        ArgumentNullException.ThrowIfNull(td);
        return [.. td.EfsVolumes.Where(v => v.IamAuthorization)
            .Select(v => new RequiredPermission(ClientMount, $"arn:{ArnParts.PartitionOf(region)}:elasticfilesystem:{region}:{account}:file-system/{v.FileSystemId}", $"mount volume {v.Name}"))
            .Distinct()];
    }

    /// <summary>The awslogs settings of a container, or null when it does not use awslogs.</summary>
    public static AwsLogsSettings? LogGroupOf(ContainerDefinitionFacts container, string region)
    {
        ArgumentNullException.ThrowIfNull(container);
        if (!string.Equals(container.LogDriver, "awslogs", StringComparison.Ordinal)
            || !container.LogOptions.TryGetValue("awslogs-group", out var group) || string.IsNullOrEmpty(group))
        {
            return null;
        }

        return new AwsLogsSettings(
            group,
            container.LogOptions.TryGetValue("awslogs-region", out var r) && r.Length > 0 ? r : region,
            container.LogOptions.TryGetValue("awslogs-stream-prefix", out var p) && p.Length > 0 ? p : null,
            container.LogOptions.TryGetValue("awslogs-create-group", out var c) && string.Equals(c, "true", StringComparison.OrdinalIgnoreCase));
    }

    public static bool IsSecretsManager(string valueFrom) =>
        valueFrom is not null && valueFrom.StartsWith("arn:", StringComparison.Ordinal) && ArnParts.Parse(valueFrom).Service == "secretsmanager";

    /// <summary><c>arn:aws:secretsmanager:r:a:secret:name-AbCdEf:jsonKey:stage:version</c> → the secret's own ARN.</summary>
    public static string SecretArn(string valueFrom)
    {
        ArgumentNullException.ThrowIfNull(valueFrom);
        var parts = valueFrom.Split(':');
        return parts.Length > 7 ? string.Join(':', parts.Take(7)) : valueFrom;
    }

    /// <summary>An SSM parameter name or ARN → its ARN (in the partition of <paramref name="region"/>).</summary>
    public static string ParameterArn(string valueFrom, string region, string account)
    {
        ArgumentNullException.ThrowIfNull(valueFrom);
        return valueFrom.StartsWith("arn:", StringComparison.Ordinal)
            ? valueFrom
            : $"arn:{ArnParts.PartitionOf(region)}:ssm:{region}:{account}:parameter/{valueFrom.TrimStart('/')}";
    }

    /// <summary>The region of an ECR registry host (<c>1234.dkr.ecr.eu-west-1.amazonaws.com</c>).</summary>
    public static string? EcrRegion(string registryHost)
    {
        ArgumentNullException.ThrowIfNull(registryHost);
        var parts = registryHost.Split('.');
        var ecr = Array.IndexOf(parts, "ecr");
        return ecr >= 0 && ecr + 1 < parts.Length ? parts[ecr + 1] : null;
    }

    /// <summary>The decision for one required permission: the per-resource decision when the simulator gave one.</summary>
    public static PermissionDecision? DecisionFor(RequiredPermission permission, IReadOnlyList<PermissionDecision> decisions)
    {
        ArgumentNullException.ThrowIfNull(permission);
        ArgumentNullException.ThrowIfNull(decisions);
        var forAction = decisions.Where(d => string.Equals(d.Action, permission.Action, StringComparison.OrdinalIgnoreCase)).ToList();
        return forAction.FirstOrDefault(d => d.Resource == permission.Resource)
            ?? (forAction.Count == 1 && forAction[0].Resource is "*" or "" ? forAction[0] : null);
    }

    /// <summary>The exact IAM policy document that grants <paramref name="missing"/>: one statement per resource set.</summary>
    public static string PolicyJson(IEnumerable<RequiredPermission> missing)
    {
        ArgumentNullException.ThrowIfNull(missing);
        var byAction = missing
            .GroupBy(p => p.Action, StringComparer.Ordinal)
            .Select(g => (Action: g.Key, Resources: g.Select(p => p.Resource).Distinct().Order(StringComparer.Ordinal).ToList()))
            .ToList();
        var statements = byAction
            .GroupBy(a => string.Join('\n', a.Resources), StringComparer.Ordinal)
            .Select(g => (Actions: g.Select(a => a.Action).ToList(), g.First().Resources));

        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("Version", "2012-10-17");
            w.WriteStartArray("Statement");
            foreach (var (actions, resources) in statements)
            {
                w.WriteStartObject();
                w.WriteString("Effect", "Allow");
                WriteOneOrMany(w, "Action", actions);
                WriteOneOrMany(w, "Resource", resources);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteOneOrMany(Utf8JsonWriter w, string name, List<string> values)
    {
        if (values.Count == 1)
        {
            w.WriteString(name, values[0]);
            return;
        }

        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteStringValue(v);
        }

        w.WriteEndArray();
    }
}

/// <summary>The awslogs options of one container.</summary>
public sealed record AwsLogsSettings(string Name, string Region, string? StreamPrefix, bool CreateGroup);
