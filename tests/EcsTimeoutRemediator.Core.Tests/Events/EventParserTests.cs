using System.Text.Json.Nodes;
using EcsTimeoutRemediator.Events;
using EcsTimeoutRemediator.Tests.Support;

namespace EcsTimeoutRemediator.Tests.Events;

public class EventParserTests
{
    [Fact]
    public void Parse_WhenGivenAStoppedTaskEvent_ShouldExposeItsIdentifiers()
    {
        var result = EventParser.Parse(EventFiles.Read("health-elb"));

        var e = Assert.IsType<ParseResult.Parsed>(result).Event;
        Assert.Equal("payments", e.ClusterName);
        Assert.Equal("api", e.ServiceName);
        Assert.Equal("us-east-1", e.Region);
        Assert.Equal("111122223333", e.Account);
        Assert.Equal("subnet-0a1b2c3d4e5f60718", e.SubnetId);
        Assert.StartsWith("eni-", e.NetworkInterfaceId, StringComparison.Ordinal);
        Assert.True(e.IsFargate);
        Assert.Equal(5, e.Task.Version);
        Assert.Equal(143, e.Task.Containers![0].ExitCode);
        Assert.NotNull(e.Task.StartedAt);
    }

    [Fact]
    public void Parse_WhenTheTaskWasRunByFamily_ShouldHaveNoServiceButAFamily()
    {
        var e = EventFiles.Load("benign-user");

        Assert.Null(e.ServiceName);
        Assert.Equal("db-migrate", e.Family);
    }

    [Fact]
    public void Parse_WhenJsonIsMalformed_ShouldBeInvalidWithAReason()
    {
        var result = EventParser.Parse("{\"id\": \"x\", ");

        var invalid = Assert.IsType<ParseResult.Invalid>(result);
        Assert.StartsWith("invalid:", invalid.Reason, StringComparison.Ordinal);
        Assert.Contains("malformed JSON", invalid.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_WhenAFieldHasTheWrongType_ShouldBeInvalid()
    {
        var node = JsonNode.Parse(EventFiles.Read("health-elb"))!;
        node["detail"]!["version"] = "five";

        var result = EventParser.Parse(node.ToJsonString());

        Assert.IsType<ParseResult.Invalid>(result);
    }

    [Theory]
    [InlineData("source", "aws.ec2", "source is \"aws.ec2\"")]
    [InlineData("detail-type", "ECS Container Instance State Change", "detail-type")]
    public void Parse_WhenTheEventIsForeign_ShouldBeIgnoredWithTheReason(string field, string value, string expected)
    {
        var node = JsonNode.Parse(EventFiles.Read("health-elb"))!;
        node[field] = value;

        var ignored = Assert.IsType<ParseResult.Ignored>(EventParser.Parse(node.ToJsonString()));

        Assert.StartsWith("ignored:", ignored.Reason, StringComparison.Ordinal);
        Assert.Contains(expected, ignored.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_WhenTheTaskIsRunning_ShouldBeIgnored()
    {
        var running = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "events-other", "task-running.json"));

        var ignored = Assert.IsType<ParseResult.Ignored>(EventParser.Parse(running));

        Assert.Contains("RUNNING", ignored.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_WhenUnknownFieldsArePresentAndOptionalOnesMissing_ShouldStillParse()
    {
        const string json = """
            {"source":"aws.ecs","detail-type":"ECS Task State Change","brandNew":{"x":1},
             "detail":{"taskArn":"arn:aws:ecs:eu-west-1:123456789012:task/c/abc","lastStatus":"STOPPED","futureField":[1,2]}}
            """;

        var e = Assert.IsType<ParseResult.Parsed>(EventParser.Parse(json)).Event;

        Assert.Equal("eu-west-1", e.Region);
        Assert.Equal("123456789012", e.Account);
        Assert.Null(e.ServiceName);
        Assert.Null(e.SubnetId);
        Assert.Equal("abc", e.TaskId);
    }

    [Theory]
    [InlineData("null", "empty")]
    [InlineData("{}", "missing")]
    [InlineData("{\"source\":\"aws.ecs\",\"detail-type\":\"ECS Task State Change\"}", "no \"detail\"")]
    [InlineData("{\"source\":\"aws.ecs\",\"detail-type\":\"ECS Task State Change\",\"detail\":{\"lastStatus\":\"STOPPED\"}}", "taskArn")]
    [InlineData("[1,2]", "invalid")]
    [InlineData("", "invalid")]
    public void Parse_WhenRequiredPartsAreMissing_ShouldBeInvalid(string json, string expected)
    {
        var invalid = Assert.IsType<ParseResult.Invalid>(EventParser.Parse(json));

        Assert.Contains(expected, invalid.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseFacts_WhenTheLineIsABareReasonObject_ShouldReturnItsFacts()
    {
        var result = EventParser.ParseFacts("""{"stoppedReason":"Task stopped by user","stopCode":"UserInitiated","containers":[{"name":"a","exitCode":1}]}""");

        Assert.Null(result.Error);
        Assert.Equal("UserInitiated", result.Facts!.StopCode);
        Assert.Equal(1, result.Facts.Containers![0].ExitCode);
    }

    [Fact]
    public void ParseFacts_WhenTheLineIsAnObjectWithNoKnownField_ShouldBeAnError()
    {
        var result = EventParser.ParseFacts("""{"hello":"world"}""");

        Assert.Null(result.Facts);
        Assert.StartsWith("invalid:", result.Error, StringComparison.Ordinal);
    }
}
