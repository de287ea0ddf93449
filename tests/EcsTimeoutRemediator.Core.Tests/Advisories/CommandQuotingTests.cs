using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using EcsTimeoutRemediator.Advisories;
using EcsTimeoutRemediator.Classification;
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
    public void For_WhenAPlaceholderStandsForAnUnknownId_ShouldQuoteItSoTheShellCannotReadARedirection()
    {
        var e = EventFiles.Load("image-pull-network");

        var steps = NextSteps.For(e, Classifier.Classify(e.Facts));

        var endpoint = steps.First(s => s.Command.Contains("--vpc-endpoint-type Interface", StringComparison.Ordinal));
        Assert.Contains("--security-group-ids '<endpoint-sg-id>'", endpoint.Command, StringComparison.Ordinal);
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

    private static List<List<string>> ShellSplit(List<string> commands)
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
