using EcsTimeoutRemediator.Advisories;
using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Context;
using EcsTimeoutRemediator.Events;
using EcsTimeoutRemediator.Tests.Support;

namespace EcsTimeoutRemediator.Tests.Advisories;

public class NextStepsTests
{
    [Fact]
    public void For_WhenHealthElb_ShouldFillTheRealClusterServiceAndTargetGroup()
    {
        var e = EventFiles.Load("health-elb");
        var c = Classifier.Classify(e.Facts);

        var commands = NextSteps.For(e, c).Select(s => s.Command).ToList();

        Assert.Contains(commands, x => x.StartsWith("aws ecs describe-tasks --region us-east-1 --cluster payments --tasks " + e.TaskArn, StringComparison.Ordinal) && x.Contains("stoppedReason", StringComparison.Ordinal));
        Assert.Contains("aws ecs update-service --region us-east-1 --cluster payments --service api --health-check-grace-period-seconds 120", commands);
        // The stop message's target group is text, not a read: without the service the command names the placeholder.
        Assert.Contains("aws elbv2 describe-target-health --region us-east-1 --target-group-arn '<target-group-arn>'", commands);
        Assert.DoesNotContain(commands, x => x.Contains(c.Evidence.TargetGroupArn!, StringComparison.Ordinal));
        Assert.Contains(commands, x => x.StartsWith("aws ecs execute-command", StringComparison.Ordinal) && x.Contains("--container api", StringComparison.Ordinal));
    }

    [Fact]
    public void For_WhenImagePullNetwork_ShouldNameTheSubnetAndTheThreeEcrEndpoints()
    {
        var e = EventFiles.Load("image-pull-network");
        var c = Classifier.Classify(e.Facts);

        var commands = string.Join('\n', NextSteps.For(e, c).Select(s => s.Command));

        Assert.Contains("--filters Name=association.subnet-id,Values=subnet-0a1b2c3d4e5f60718", commands, StringComparison.Ordinal);
        Assert.Contains("aws ec2 describe-vpc-endpoints", commands, StringComparison.Ordinal);
        Assert.Contains("com.amazonaws.us-east-1.ecr.api", commands, StringComparison.Ordinal);
        Assert.Contains("com.amazonaws.us-east-1.ecr.dkr", commands, StringComparison.Ordinal);
        Assert.Contains("--vpc-endpoint-type Gateway --service-name com.amazonaws.us-east-1.s3", commands, StringComparison.Ordinal);
        Assert.Contains("assignPublicIp=ENABLED", commands, StringComparison.Ordinal);
        Assert.DoesNotContain("secretsmanager", commands, StringComparison.Ordinal);
    }

    [Fact]
    public void For_WhenSecretsNetwork_ShouldAlsoNameTheSecretsEndpoints()
    {
        var e = EventFiles.Load("secrets-network");

        var commands = string.Join('\n', NextSteps.For(e, Classifier.Classify(e.Facts)).Select(s => s.Command));

        Assert.Contains("com.amazonaws.us-east-1.secretsmanager", commands, StringComparison.Ordinal);
        Assert.Contains("com.amazonaws.us-east-1.ssm", commands, StringComparison.Ordinal);
    }

    [Fact]
    public void For_WhenSecretsPermissionAndTheTaskDefinitionWasRead_ShouldGrantExactlyItsSecrets()
    {
        var e = EventFiles.Load("secrets-permission");
        const string Parameter = "arn:aws:ssm:us-east-1:111122223333:parameter/prod/refunds/stripe-key";
        var context = new InfrastructureContext
        {
            TaskDefinition = new TaskDefinitionFacts
            {
                TaskDefinitionArn = "arn:aws:ecs:us-east-1:111122223333:task-definition/refunds:3",
                Containers = [new ContainerDefinitionFacts { Name = "refunds", SecretValueFrom = [Parameter] }],
            },
        };

        var grant = NextSteps.For(e, Classifier.Classify(e.Facts), context).Single(s => s.Command.StartsWith("aws iam put-role-policy", StringComparison.Ordinal));

        Assert.Contains($"\"Resource\":[\"{Parameter}\"]", grant.Command, StringComparison.Ordinal);
        Assert.DoesNotContain("\"*\"", grant.Command, StringComparison.Ordinal);
        Assert.Equal(StepKind.Change, grant.Kind);
    }

    [Fact]
    public void For_WhenSecretsPermissionWasNotDiagnosed_ShouldNeverGrantTheArnTheStopMessageNames()
    {
        var e = EventFiles.Load("secrets-permission");
        var c = Classifier.Classify(e.Facts);

        var grant = NextSteps.For(e, c).Single(s => s.Command.StartsWith("aws iam put-role-policy", StringComparison.Ordinal));

        Assert.NotNull(c.Evidence.SecretArns);
        Assert.All(c.Evidence.SecretArns!, arn => Assert.DoesNotContain(arn, grant.Command, StringComparison.Ordinal));
        Assert.Contains("\"Resource\":[\"<secret-or-parameter-arn>\"]", grant.Command, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("us-east-1", "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy")]
    [InlineData("cn-north-1", "arn:aws-cn:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy")]
    [InlineData("us-gov-west-1", "arn:aws-us-gov:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy")]
    public void For_WhenAnImagePullIsRefusedInAPartition_ShouldAttachThatPartitionsManagedPolicy(string region, string policyArn)
    {
        var json = EventFiles.Read("image-pull-permission")
            .Replace("us-east-1", region, StringComparison.Ordinal)
            .Replace("arn:aws:", $"arn:{ArnParts.PartitionOf(region)}:", StringComparison.Ordinal);
        var e = Assert.IsType<ParseResult.Parsed>(EventParser.Parse(json)).Event;

        var attach = NextSteps.For(e, Classifier.Classify(e.Facts)).Single(s => s.Command.StartsWith("aws iam attach-role-policy", StringComparison.Ordinal));

        Assert.EndsWith("--policy-arn " + policyArn, attach.Command, StringComparison.Ordinal);
    }

    [Fact]
    public void For_WhenBenign_ShouldOnlyOfferToReadTheStopReason()
    {
        var e = EventFiles.Load("benign-scaling");

        var steps = NextSteps.For(e, Classifier.Classify(e.Facts));

        Assert.Single(steps);
    }

    [Fact]
    public void For_WhenNoEventIsKnown_ShouldUsePlaceholders()
    {
        var c = Classifier.Classify("Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/x/0123456789abcdef)");

        var commands = NextSteps.For(null, c).Select(s => s.Command).ToList();

        Assert.Contains("aws ecs update-service --region '<region>' --cluster '<cluster>' --service '<service>' --health-check-grace-period-seconds 120", commands);
    }

    [Fact]
    public void For_WhenImageIsInEcr_ShouldCheckItWithDescribeImages()
    {
        var e = EventFiles.Load("image-pull-platform");
        var c = Classifier.Classify(e.Facts) with { Fixes = [FixId.FixImageReference] };

        var step = Assert.Single(NextSteps.For(e, c), s => s.Command.StartsWith("aws ecr", StringComparison.Ordinal));

        Assert.Equal("aws ecr describe-images --region us-east-1 --registry-id 111122223333 --repository-name batch/report-builder --image-ids imageTag=2026.11.2", step.Command);
    }

    [Theory]
    [InlineData("plain-id_1.2", "plain-id_1.2")]
    [InlineData("a b", "'a b'")]
    [InlineData("it's", "'it'\\''s'")]
    [InlineData("$(rm -rf /)", "'$(rm -rf /)'")]
    [InlineData("", "''")]
    public void Quote_WhenGivenAValue_ShouldMakeItOneSafeShellWord(string value, string expected)
    {
        Assert.Equal(expected, Shell.Quote(value));
    }

    [Theory]
    [InlineData("nginx", "docker.io", "library/nginx", "latest", null)]
    [InlineData("acme/web:1.2", "docker.io", "acme/web", "1.2", null)]
    [InlineData("123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app:v3", "123456789012.dkr.ecr.eu-west-1.amazonaws.com", "team/app", "v3", null)]
    [InlineData("localhost:5000/app@sha256:abc", "localhost:5000", "app", null, "sha256:abc")]
    [InlineData("ghcr.io/org/tool", "ghcr.io", "org/tool", "latest", null)]
    public void Parse_WhenGivenAnImageReference_ShouldSplitRegistryRepositoryTagAndDigest(string image, string registry, string repository, string? tag, string? digest)
    {
        var r = ImageReference.Parse(image)!.Value;

        Assert.Equal((registry, repository, tag, digest), (r.Registry, r.Repository, r.Tag, r.Digest));
    }
}
