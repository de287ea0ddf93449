using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using EcsTimeoutRemediator.Advisories;
using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Context;
using EcsTimeoutRemediator.Events;
using EcsTimeoutRemediator.Tests.Advisories.Formats;
using EcsTimeoutRemediator.Tests.Support;
using FsCheck;
using FsCheck.Fluent;

namespace EcsTimeoutRemediator.Tests.Advisories;

/// <summary>
/// Every copy-paste command, run by bash with <c>aws</c> and <c>docker</c> defined as functions that print their
/// arguments, gives back exactly the argv it was built from: no value became a substitution, a redirection, a
/// glob, a comment or a second command.
/// </summary>
public sealed class CommandQuotingTests
{
    private static readonly string[] Hostile =
    [
        "$(id)", "`id`", "'", "\"", ";", "|", "&&", "&", "<acl-id>", ">out", "\\", " ", "\n", "*", "?", "~", "#", "!", "{a,b}", "%", "api", "x-1",
    ];

    [Fact]
    public void For_WhenEventValuesCarryShellSyntax_ShouldRenderCommandsThatSplitBackIntoTheirArgv()
    {
        var text = Gen.ArrayOf(Gen.Elements(Hostile)).Select(parts => string.Concat(parts));
        var cases = (from sample in Gen.Elements(Category.All.Where(c => !Category.IsBenign(c)).Select(EventFiles.NameOf).ToArray())
                     from service in text
                     from cluster in text
                     from container in text
                     from image in text
                     from reason in text
                     select (sample, service, cluster, container, image, reason)).Sample(200, 20);

        var steps = cases.SelectMany(c => StepsFor(c.sample, c.service, c.cluster, c.container, c.image, c.reason)).ToList();
        var split = ShellSplit(steps.Select(s => s.Command).ToList());

        Assert.True(steps.Count > 400, $"only {steps.Count} steps were rendered");
        Assert.Equal(steps.Count, split.Count);
        for (var i = 0; i < steps.Count; i++)
        {
            var expected = steps[i].Argv.SelectMany(argv => argv).ToList();
            Assert.True(expected.Count > 0, $"{steps[i].Title} was not built from argv");
            Assert.Equal(expected, split[i]);
        }
    }

    [Fact]
    public void For_WhenAServiceEventsDiagnosisFoundIdsWithShellSyntax_ShouldRenderCommandsThatSplitBackIntoTheirArgv()
    {
        var text = Gen.ArrayOf(Gen.Elements(Hostile)).Select(parts => string.Concat(parts));
        var cases = (from sample in Gen.Elements("service-task-configuration-failure", "service-task-placement-failure", "service-task-configuration-failure-task-definition", "service-deployment-failed")
                     from service in text
                     from subnet in text
                     from securityGroup in text
                     from provider in text
                     from deployment in text
                     from family in text
                     select (sample, service, subnet, securityGroup, provider, deployment, family)).Sample(120, 20);

        var steps = cases.SelectMany(c => ServiceEventSteps(c.sample, c.service, c.subnet, c.securityGroup, c.provider, c.deployment, c.family)).ToList();
        var split = ShellSplit(steps.Select(s => s.Command).ToList());

        Assert.Contains(steps, s => s.Command.Contains("update-capacity-provider", StringComparison.Ordinal));
        Assert.Contains(steps, s => s.Command.Contains("--started-by", StringComparison.Ordinal));
        Assert.Contains(steps, s => s.Command.Contains("describe-network-interfaces", StringComparison.Ordinal));
        Assert.Contains(steps, s => s.Command.Contains("list-task-definitions", StringComparison.Ordinal));
        Assert.Equal(steps.Count, split.Count);
        for (var i = 0; i < steps.Count; i++)
        {
            Assert.Equal(steps[i].Argv.SelectMany(argv => argv).ToList(), split[i]);
        }
    }

    /// <summary>The steps of a service event whose diagnosis found the given (hostile) ids, each fix of its findings ranked first.</summary>
    private static IEnumerable<NextStep> ServiceEventSteps(string sample, string service, string subnet, string group, string provider, string deployment, string family)
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "events-service", sample + ".json")))!;
        json["resources"] = new JsonArray($"arn:aws:ecs:us-east-1:111122223333:service/payments/{service}");
        json["detail"]!.AsObject().Remove("serviceName");
        if (json["detail"]!["deploymentId"] is not null)
        {
            json["detail"]!["deploymentId"] = deployment;
        }

        var e = EventParser.Parse(json.ToJsonString()) is ParseResult.Parsed p ? p.Event : throw new InvalidOperationException($"{sample} no longer parses");
        var taskDefinition = $"arn:aws:ecs:us-east-1:111122223333:task-definition/{family}:7";
        var context = new InfrastructureContext
        {
            Service = new ServiceFacts
            {
                ServiceArn = $"arn:aws:ecs:us-east-1:111122223333:service/payments/{service}",
                ServiceName = service,
                ClusterArn = "arn:aws:ecs:us-east-1:111122223333:cluster/payments",
                DesiredCount = 2,
                TaskDefinitionArn = taskDefinition,
                Network = new AwsVpcFacts([subnet, "subnet-0roomy"], [group], false),
                Deployments = [new DeploymentFacts(deployment, "ACTIVE", "FAILED", 2, 0, 3), new DeploymentFacts("ecs-svc/1", "ACTIVE", "COMPLETED", 2, 2, 0) { TaskDefinitionArn = taskDefinition + "x" }],
            },
            Network = new NetworkFacts([new SubnetFacts(subnet, "vpc-1", "us-east-1a", null, 0, false), new SubnetFacts("subnet-0roomy", "vpc-1", "us-east-1b", null, 50, false)], [], [], [], []),
            ServiceEvent = new ServiceEventFacts
            {
                TaskDefinitionArn = taskDefinition,
                CapacityProviders = new CapacityProviderLookup([new CapacityProviderFacts(provider, null, "ACTIVE") { AutoScalingGroupArn = $"arn:aws:autoscaling:us-east-1:111122223333:autoScalingGroup:1:autoScalingGroupName/{provider}" }], []),
            },
        };
        var c = Classifier.Classify(e.Facts);
        string[] fixes = [FixId.FreeSubnetAddresses, FixId.UseActiveTaskDefinition, FixId.AddClusterCapacity, FixId.EnableManagedScaling, FixId.RollBackDeployment];
        return NextSteps.For(e, c with { Fixes = fixes, Actionable = true }, context);
    }

    [Fact]
    public void For_WhenAPlaceholderStandsForAnUnknownId_ShouldQuoteItSoTheShellCannotReadARedirection()
    {
        var e = EventFiles.Load("image-pull-network");

        var steps = NextSteps.For(e, Classifier.Classify(e.Facts));

        var endpoint = steps.First(s => s.Command.Contains("--vpc-endpoint-type Interface", StringComparison.Ordinal));
        Assert.Contains("--security-group-ids '<endpoint-security-group-id>'", endpoint.Command, StringComparison.Ordinal);
        Assert.All(steps, s => Assert.DoesNotContain(" <", s.Command, StringComparison.Ordinal));
    }

    private static IEnumerable<NextStep> StepsFor(string sample, string service, string cluster, string container, string image, string reason)
    {
        var json = JsonNode.Parse(EventFiles.Read(sample))!;
        var detail = json["detail"]!;
        detail["group"] = "service:" + service;
        detail["clusterArn"] = "arn:aws:ecs:us-east-1:111122223333:cluster/" + cluster;
        detail["stoppedReason"] = (string?)detail["stoppedReason"] + reason;
        detail["containers"]![0]!["name"] = container;
        detail["containers"]![0]!["image"] = image;
        var e = EventParser.Parse(json.ToJsonString()) is ParseResult.Parsed p ? p.Event : throw new InvalidOperationException($"{sample} no longer parses");
        return NextSteps.For(e, Classifier.Classify(e.Facts));
    }

    internal static List<List<string>> ShellSplit(List<string> commands)
    {
        var dir = Directory.CreateTempSubdirectory("commands-");
        try
        {
            // A file for an unquoted glob to match, so that a glob would show.
            File.WriteAllText(Path.Combine(dir.FullName, "x-1"), "");
            var script = new System.Text.StringBuilder("aws() { printf '%s\\0' aws \"$@\"; }\ndocker() { printf '%s\\0' docker \"$@\"; }\n");
            foreach (var command in commands)
            {
                script.Append(command).Append("\nprintf '\\1'\n");
            }

            var file = Path.Combine(dir.FullName, "commands.sh");
            File.WriteAllText(file, script.ToString());
            var psi = new ProcessStartInfo("bash", ["--norc", "--noprofile", file])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = dir.FullName,
            };
            using var bash = Process.Start(psi)!;
            var errors = bash.StandardError.ReadToEndAsync();
            var output = bash.StandardOutput.ReadToEnd();
            bash.WaitForExit();
            Assert.True(errors.Result.Length == 0, errors.Result);
            Assert.Equal(["commands.sh", "x-1"], dir.GetFileSystemInfos().Select(f => f.Name).Order(StringComparer.Ordinal));
            return [.. output.Split('\u0001')[..^1].Select(one => one.Split('\0')[..^1].ToList())];
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
