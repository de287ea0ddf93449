using EcsTimeoutRemediator.Advisories;
using EcsTimeoutRemediator.Classification;

namespace EcsTimeoutRemediator.Tests.Advisories;

public class FixStepsTableTests
{
    private static readonly CommandTargets Targets = new("eu-west-1", "prod", "web", "arn:aws:ecs:eu-west-1:111122223333:task/prod/0123456789abcdef", null, null, null);

    private static readonly ClassificationResult Stop = new()
    {
        Category = Category.ImagePullNetwork,
        Family = "image-pull",
        Actionable = true,
        Summary = "",
        Confidence = 1,
        Rule = "test",
        Fixes = [],
        Evidence = new Evidence(),
    };

    public static TheoryData<string> Fixes() => [.. FixId.All];

    [Theory]
    [MemberData(nameof(Fixes))]
    public void Areas_WhenAFixIdIsDeclared_ShouldBeOwnedByExactlyOneArea(string fix)
    {
        Assert.Single(NextSteps.Areas, area => area.Fixes.Contains(fix));
    }

    [Fact]
    public void Areas_WhenListed_ShouldOwnOnlyDeclaredFixIds()
    {
        var owned = NextSteps.Areas.SelectMany(a => a.Fixes).ToList();

        Assert.Equal(FixId.All.Order(StringComparer.Ordinal), owned.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Fixes))]
    public void Steps_WhenAnAreaIsAskedForAFixOfAnother_ShouldThrow(string fix)
    {
        var other = NextSteps.Areas.First(a => !a.Fixes.Contains(fix));

        Assert.Throws<ArgumentOutOfRangeException>(() => other.Steps(fix, Targets, Stop).ToList());
    }

    [Theory]
    [MemberData(nameof(Fixes))]
    public void Steps_WhenItsOwnAreaIsAsked_ShouldGiveAtLeastOneStep(string fix)
    {
        var owner = NextSteps.Areas.Single(a => a.Fixes.Contains(fix));

        Assert.NotEmpty(owner.Steps(fix, Targets, Stop with { Fixes = [fix] }));
    }
}
