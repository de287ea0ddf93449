using EcsTimeoutRemediator.Advisories;
using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Tests.Support;

namespace EcsTimeoutRemediator.Tests.Advisories.Formats;

public class LinksAndKeysTests
{
    [Fact]
    public void For_WhenTheTaskBelongsToAService_ShouldLinkTheServiceHealthPage()
    {
        var task = TaskIdentity.From(EventFiles.Load("health-elb"));

        Assert.Equal("https://us-east-1.console.aws.amazon.com/ecs/v2/clusters/payments/services/api/health?region=us-east-1", ConsoleLinks.For(task));
    }

    [Fact]
    public void For_WhenTheTaskBelongsToNoService_ShouldLinkTheTaskPage()
    {
        var task = TaskIdentity.From(EventFiles.Load("image-pull-platform"));

        Assert.Null(task.Service);
        Assert.Equal($"https://us-east-1.console.aws.amazon.com/ecs/v2/clusters/{task.Cluster}/tasks/{ConsoleLinks.TaskId(task.TaskArn)}/configuration?region=us-east-1", ConsoleLinks.For(task));
    }

    [Theory]
    [InlineData("cn-north-1", "https://cn-north-1.console.amazonaws.cn/")]
    [InlineData("us-gov-west-1", "https://us-gov-west-1.console.amazonaws-us-gov.com/")]
    [InlineData("eu-west-1", "https://eu-west-1.console.aws.amazon.com/")]
    public void For_WhenTheRegionIsInAnotherPartition_ShouldUseThatPartitionsConsole(string region, string origin)
    {
        var task = TaskIdentity.From(EventFiles.Load("health-elb")) with { Region = region };

        Assert.StartsWith(origin, ConsoleLinks.For(task), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("<region>")]
    [InlineData("us-east-1.evil.example/x")]
    public void For_WhenTheRegionIsMissingOrNotARegion_ShouldGiveNoLink(string? region)
    {
        var task = TaskIdentity.From(EventFiles.Load("health-elb")) with { Region = region };

        Assert.Null(ConsoleLinks.For(task));
        Assert.Null(ConsoleLinks.Runbook(task, Category.ImagePullNetwork));
    }

    [Theory]
    [InlineData(Category.ImagePullNetwork)]
    [InlineData(Category.SecretsPermission)]
    [InlineData(Category.LogsNotFound)]
    [InlineData(Category.EfsNetwork)]
    [InlineData(Category.EniTimeout)]
    [InlineData(Category.StartContainer)]
    public void Runbook_WhenTheTaskFailedToStart_ShouldFillTheClusterAndTaskId(string category)
    {
        var task = TaskIdentity.From(EventFiles.Load("image-pull-network"));

        Assert.Equal(
            "https://us-east-1.console.aws.amazon.com/systems-manager/automation/execute/AWSSupport-TroubleshootECSTaskFailedToStart?region=us-east-1#documentVersion=%24LATEST&ClusterName=payments&TaskId=087cd1ac68ef487c562e916907c15fcc",
            ConsoleLinks.Runbook(task, category));
    }

    [Theory]
    [InlineData(Category.HealthElb)]
    [InlineData(Category.HealthContainer)]
    [InlineData(Category.ExitOom)]
    [InlineData(Category.ExitEssential)]
    [InlineData(Category.Unknown)]
    [InlineData(Category.BenignUser)]
    public void Runbook_WhenTheTaskStartedAndThenDied_ShouldBeNull(string category)
    {
        var task = TaskIdentity.From(EventFiles.Load("image-pull-network"));

        Assert.Null(ConsoleLinks.Runbook(task, category));
    }

    [Fact]
    public void For_WhenTheSameIncidentFailsAgain_ShouldGiveTheSameReadableKey()
    {
        var a = IncidentKey.For("111122223333", "us-east-1", "payments", "api", Category.HealthElb);
        var b = IncidentKey.For(TaskIdentity.From(EventFiles.Load("health-elb")), Category.HealthElb);

        Assert.Equal(a, b);
        Assert.Equal("111122223333:us-east-1:payments:api:health/elb", a.Value);
    }

    [Fact]
    public void For_WhenTheCategoryOrServiceDiffers_ShouldGiveADifferentKey()
    {
        var key = IncidentKey.For("1", "us-east-1", "payments", "api", Category.HealthElb);

        Assert.NotEqual(key, IncidentKey.For("1", "us-east-1", "payments", "api", Category.ExitOom));
        Assert.NotEqual(key, IncidentKey.For("1", "us-east-1", "payments", "web", Category.HealthElb));
        Assert.NotEqual(key, IncidentKey.For("2", "us-east-1", "payments", "api", Category.HealthElb));
    }

    [Fact]
    public void For_WhenNamesAreLongOrHoldSeparators_ShouldStayShortSafeAndDistinct()
    {
        var longCluster = new string('c', 255);
        var a = IncidentKey.For("111122223333", "ap-southeast-2", longCluster, new string('s', 255) + "1", Category.ImagePullRateLimit);
        var b = IncidentKey.For("111122223333", "ap-southeast-2", longCluster, new string('s', 255) + "2", Category.ImagePullRateLimit);
        var colon = IncidentKey.For("1", "r", "a:b", "c", "x");
        var split = IncidentKey.For("1", "r", "a", "b:c", "x");

        Assert.InRange(a.Value.Length, 1, IncidentKey.MaxLength);
        Assert.NotEqual(a, b);
        Assert.NotEqual(colon, split);
        Assert.Matches("^[A-Za-z0-9._:/~-]+$", a.Value);
        Assert.Matches("^[A-Za-z0-9._:/~-]+$", colon.Value);
    }

    [Fact]
    public void Build_WhenTheTaskHasNoService_ShouldKeyTheIncidentOnItsFamily()
    {
        var advisory = FormatSamples.Advisory("image-pull-platform");

        Assert.Null(advisory.Task.Service);
        Assert.Equal($"{advisory.Task.Account}:{advisory.Task.Region}:{advisory.Task.Cluster}:{advisory.Task.Family}:image-pull/platform", advisory.IncidentKey);
    }
}
