using System.Globalization;
using System.Text.Json;
using EcsTimeoutRemediator.Advisories;
using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Context;
using EcsTimeoutRemediator.Diagnosis;
using EcsTimeoutRemediator.Serialization;
using EcsTimeoutRemediator.Tests.Advisories.Formats;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace EcsTimeoutRemediator.Tests.Diagnosis;

/// <summary>A finding's text as a template: the project's words, the ids the diagnosis read and the account's values kept apart.</summary>
public sealed class SentenceTests
{
    [Fact]
    public void Of_WhenHolesAreIdsAndValues_ShouldKeepWordsResourcesAndValuesApart()
    {
        var subnet = "subnet-0abc";
        var name = "api";
        var sentence = Sentence.Of($"{Sentence.Id(subnet)} of container {name} has {3} free IP addresses.");

        Assert.Equal(
            [
                new SentencePart(PartKind.Resource, "subnet-0abc"),
                new SentencePart(PartKind.Text, " of container "),
                new SentencePart(PartKind.Value, "api"),
                new SentencePart(PartKind.Text, " has "),
                new SentencePart(PartKind.Value, "3"),
                new SentencePart(PartKind.Text, " free IP addresses."),
            ],
            sentence.Parts);
        Assert.Equal("subnet-0abc of container api has 3 free IP addresses.", sentence.Plain);
    }

    [Fact]
    public void Of_WhenTwoIdsAreAdjacent_ShouldKeepEachItsOwnPartButMergeAdjacentValues()
    {
        var sentence = Sentence.Of($"{Sentence.Id("sg-1")}{Sentence.Id("sg-2")}{"a"}{"b"}{Sentence.Words("x")}{Sentence.Words("y")}");

        Assert.Equal(
            [
                new SentencePart(PartKind.Resource, "sg-1"),
                new SentencePart(PartKind.Resource, "sg-2"),
                new SentencePart(PartKind.Value, "ab"),
                new SentencePart(PartKind.Text, "xy"),
            ],
            sentence.Parts);
    }

    [Fact]
    public void Of_WhenAHoleIsEmptyOrNull_ShouldAddNoPart()
    {
        string? nothing = null;
        var sentence = Sentence.Of($"a{nothing}{""}{Sentence.Empty}{Sentence.Id(null)}b");

        Assert.Equal([new SentencePart(PartKind.Text, "ab")], sentence.Parts);
    }

    [Fact]
    public void Of_WhenTheCurrentCultureWritesCommas_ShouldFormatNumbersInTheInvariantCulture()
    {
        var culture = CultureInfo.CurrentCulture;
        try
        {
            // Globalization is invariant in this build, so a culture with a decimal comma is made by hand.
            var comma = (CultureInfo)CultureInfo.InvariantCulture.Clone();
            comma.NumberFormat.NumberDecimalSeparator = ",";
            comma.NumberFormat.NumberGroupSeparator = ".";
            comma.NumberFormat.NegativeSign = "\u2212";
            CultureInfo.CurrentCulture = comma;
            Assert.Equal("1,5", 1.5.ToString(CultureInfo.CurrentCulture));

            var sentence = Sentence.Of($"ran {1234.5:0.0} s, {12345:N0} tasks, {0.25}, {-3}, port {Sentence.Id(8080)}");

            Assert.Equal("ran 1234.5 s, 12,345 tasks, 0.25, -3, port 8080", sentence.Plain);
            Assert.Contains(new SentencePart(PartKind.Resource, "8080"), sentence.Parts);
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    [Property(MaxTest = 200)]
    public Property Plain_WhenBuiltFromAnyHoles_ShouldEqualTheInvariantInterpolatedString()
    {
        var cases = from id in ArbMap.Default.GeneratorFor<string>()
                    from value in ArbMap.Default.GeneratorFor<string>()
                    from count in ArbMap.Default.GeneratorFor<int>()
                    from seconds in ArbMap.Default.GeneratorFor<double>()
                    select (Id: id ?? "", Value: value ?? "", Count: count, Seconds: seconds);
        return Prop.ForAll(cases.ToArbitrary(), x =>
        {
            var sentence = Sentence.Of($"{Sentence.Id(x.Id)} is {x.Value} ({x.Count}, {x.Seconds:0} s).");
            var expected = string.Create(CultureInfo.InvariantCulture, $"{x.Id} is {x.Value} ({x.Count}, {x.Seconds:0} s).");
            return sentence.Plain == expected
                && sentence.Parts.All(p => p.Text.Length > 0)
                && (x.Id.Length == 0 || sentence.Parts[0] == new SentencePart(PartKind.Resource, x.Id));
        });
    }

    [Fact]
    public void Ids_WhenGivenSeveralIds_ShouldSeparateResourcePartsWithWords()
    {
        var sentence = Sentence.Ids(["sg-1", "sg-2", "sg-3"]);

        Assert.Equal("sg-1, sg-2, sg-3", sentence.Plain);
        Assert.Equal(["sg-1", "sg-2", "sg-3"], sentence.Parts.Where(p => p.Kind == PartKind.Resource).Select(p => p.Text));
        Assert.All(sentence.Parts.Where(p => p.Kind == PartKind.Text), p => Assert.Equal(", ", p.Text));
    }

    [Theory]
    [InlineData(new string[0], "")]
    [InlineData(new[] { "subnet-a" }, "subnet-a")]
    [InlineData(new[] { "subnet-a", "subnet-b" }, "subnet-a and subnet-b")]
    [InlineData(new[] { "subnet-a", "subnet-b", "subnet-c" }, "subnet-a, subnet-b and subnet-c")]
    public void IdList_WhenGivenIds_ShouldListThemInWordsEachAResource(string[] ids, string expected)
    {
        var sentence = Sentence.IdList(ids);

        Assert.Equal(expected, sentence.Plain);
        Assert.Equal(ids, sentence.Parts.Where(p => p.Kind == PartKind.Resource).Select(p => p.Text));
    }

    [Fact]
    public void FindingOf_WhenGivenASentence_ShouldSetTheMessageToItsPlainTextAndKeepTheText()
    {
        var text = Sentence.Of($"{Sentence.Id("vpc-1")} resolves DNS.");
        var finding = Finding.Of("vpc-dns", FindingStatus.Ok, text, ["vpc-1"]);

        Assert.Equal("vpc-1 resolves DNS.", finding.Message);
        Assert.Same(text, finding.Text);
        Assert.Same(text, finding.Sentence);
    }

    [Fact]
    public void Sentence_WhenAFindingHasNoText_ShouldTreatTheWholeMessageAsAValue()
    {
        var finding = new Finding("route", FindingStatus.Ok, "<!channel> subnet-1", ["subnet-1"]);

        Assert.Equal([new SentencePart(PartKind.Value, "<!channel> subnet-1")], finding.Sentence.Parts);
    }

    [Fact]
    public void Serialize_WhenAFindingHasText_ShouldRoundTripItsPartsThroughTheJsonContext()
    {
        var finding = Finding.Of("network-acl", FindingStatus.Wrong,
            Sentence.Of($"Network ACL {Sentence.Id("acl-1")} of {Sentence.Id("subnet-1")} denies outbound TCP 443 to {"<!here>"} (rule {90})."),
            ["acl-1", "subnet-1"], FixId.OpenNetworkAcl) with { Headline = "network ACL blocks outbound 443" };

        var json = JsonSerializer.Serialize(finding, RemediatorJsonContext.Default.Finding);
        var back = JsonSerializer.Deserialize(json, RemediatorJsonContext.Default.Finding)!;

        Assert.Contains("\"text\":{\"parts\":[{\"kind\":\"text\",\"text\":\"Network ACL \"},{\"kind\":\"resource\",\"text\":\"acl-1\"}", json, StringComparison.Ordinal);
        Assert.Equal(finding.Text, back.Text);
        Assert.Equal(finding.Message, back.Message);
        Assert.Equal(finding.Message, back.Text!.Plain);
    }

    [Fact]
    public async Task Serialize_WhenAnAdvisoryCarriesDiagnosedFindings_ShouldRoundTripEveryFindingsText()
    {
        var advisory = await FormatSamples.NoRouteAdvisoryAsync();
        Assert.NotEmpty(advisory.Findings);

        var json = JsonSerializer.Serialize(advisory, RemediatorJsonContext.Default.Advisory);
        var back = JsonSerializer.Deserialize(json, RemediatorJsonContext.Default.Advisory)!;

        Assert.Equal(advisory.Findings.Count, back.Findings.Count);
        foreach (var (before, after) in advisory.Findings.Zip(back.Findings))
        {
            Assert.NotNull(after.Text);
            Assert.Equal(before.Text, after.Text);
            Assert.Equal(before.Message, after.Text!.Plain);
        }
    }

    [Fact]
    public void Problems_WhenAFindingIsProseOrHidesAnIdInItsWords_ShouldNameEachBrokenRule()
    {
        var prose = new Finding("route", FindingStatus.Ok, "subnet-1 routes to nat-1", ["subnet-1"]);
        var idInWords = Finding.Of("route", FindingStatus.Ok, Sentence.Words("subnet-1 routes 0.0.0.0/0 to nat-0abc."), ["subnet-1"]);
        var idAsValue = Finding.Of("route", FindingStatus.Ok, Sentence.Of($"{"subnet-1"} routes."), ["subnet-1"]);
        var good = Finding.Of("route", FindingStatus.Ok, Sentence.Of($"{Sentence.Id("subnet-1")} routes 0.0.0.0/0 to {Sentence.Id("nat-0abc")}."), ["subnet-1", "nat-0abc"]);

        Assert.Single(FindingSentences.Problems(prose));
        Assert.Equal(4, FindingSentences.Problems(idInWords).Count);
        Assert.Single(FindingSentences.Problems(idAsValue));
        Assert.Empty(FindingSentences.Problems(good));
    }

    [Theory]
    [InlineData("subnet-0abc vpc-1 sg-9 rtb-x nat-0 igw-1 vpce-s3 fs-01 fsmt-0a arn:aws:iam::1:role/x", 10)]
    [InlineData("The task's security groups allow outbound HTTPS (443) via ecr.api, s3 and the VPC.", 0)]
    [InlineData("health-check-port, nonsg-like, assignPublicIp DISABLED, the return ports 32768-60999", 0)]
    public void IdsIn_WhenGivenWords_ShouldFindTheIdLikeTokensOnly(string words, int expected)
    {
        Assert.Equal(expected, FindingSentences.IdsIn(words).Count);
    }

    [Fact]
    public void Unreachable_WhenTheMemberRoleIsRefused_ShouldKeepTheAccountAndRoleAsResources()
    {
        var refusal = new Context.AccountRefusal("444455556666", "arn:aws:iam::444455556666:role/ecs-remediator-member", "AccessDenied");

        var finding = AccountChecks.Unreachable(refusal);

        Assert.Equal("cannot read account 444455556666: role ecs-remediator-member is missing or does not trust this function", finding.Message);
        Assert.Empty(FindingSentences.Problems(finding));
        Assert.Equal(["444455556666", "ecs-remediator-member"], finding.Text!.Parts.Where(p => p.Kind == PartKind.Resource).Select(p => p.Text));
    }
}
