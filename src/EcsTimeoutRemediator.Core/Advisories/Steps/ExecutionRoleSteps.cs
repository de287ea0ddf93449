using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Diagnosis;
using EcsTimeoutRemediator.Events;
using static EcsTimeoutRemediator.Advisories.Steps.StepArgs;

namespace EcsTimeoutRemediator.Advisories.Steps;

/// <summary>The execution role area: the permissions the task needs to start.</summary>
internal sealed class ExecutionRoleSteps : IFixSteps
{
    public IReadOnlyList<string> Fixes { get; } = [FixId.GrantExecutionRolePermissions];

    public IEnumerable<NextStep> Steps(string fix, CommandTargets t, ClassificationResult c)
    {
        var r = t.Region;
        switch (fix)
        {
            case FixId.GrantExecutionRolePermissions:
                yield return NextStep.Check("Find the task execution role", Fact.ExecutionRole,
                    "aws", "ecs", "describe-task-definition", "--region", r, "--task-definition", TaskDef(t), "--query", "taskDefinition.executionRoleArn");
                if (t.ExecutionRolePolicy is { } policy)
                {
                    yield return NextStep.Change("Grant the execution role exactly what the policy simulator found missing",
                        "aws", "iam", "put-role-policy", "--role-name", Role(t), "--policy-name", "ecs-task-start", "--policy-document", policy);
                }
                else if (c.Family == "secrets")
                {
                    IReadOnlyList<string> resources = t.SecretArns.Count > 0 ? t.SecretArns : ["<secret-or-parameter-arn>"];
                    var document = AllowPolicy(["secretsmanager:GetSecretValue", "ssm:GetParameters"], resources);
                    yield return NextStep.Change(t.SecretArns.Count > 0
                            ? "Allow the execution role to read exactly the secrets and parameters of the task definition"
                            : "Allow the execution role to read exactly the task's secrets and parameters (replace '<secret-or-parameter-arn>' with their ARNs)",
                        "aws", "iam", "put-role-policy", "--role-name", Role(t), "--policy-name", "ecs-task-secrets", "--policy-document", document);
                }
                else
                {
                    yield return NextStep.Change("Attach the AWS managed execution policy (ECR pull and CloudWatch Logs write)",
                        "aws", "iam", "attach-role-policy", "--role-name", Role(t), "--policy-arn", $"arn:{ArnParts.PartitionOf(t.Region)}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy");
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(fix), fix, "not a fix of this area");
        }
    }

    /// <summary>An identity policy allowing <paramref name="actions"/> on exactly <paramref name="resources"/>, serialised.</summary>
    private static string AllowPolicy(IReadOnlyList<string> actions, IReadOnlyList<string> resources)
    {
        using var buffer = new MemoryStream();
        using (var w = new System.Text.Json.Utf8JsonWriter(buffer, new System.Text.Json.JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("Version", "2012-10-17");
            w.WriteStartArray("Statement");
            w.WriteStartObject();
            w.WriteString("Effect", "Allow");
            w.WriteStartArray("Action");
            foreach (var action in actions)
            {
                w.WriteStringValue(action);
            }

            w.WriteEndArray();
            w.WriteStartArray("Resource");
            foreach (var resource in resources)
            {
                w.WriteStringValue(resource);
            }

            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
