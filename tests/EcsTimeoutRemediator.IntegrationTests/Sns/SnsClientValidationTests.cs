using EcsTimeoutRemediator.Aws.Clients;
using EcsTimeoutRemediator.Aws.Clients.Sns;
using EcsTimeoutRemediator.IntegrationTests.Infrastructure;

namespace EcsTimeoutRemediator.IntegrationTests.Sns;

/// <summary>Client-side checks and the Query wire format, against a local stub that records requests.</summary>
public sealed class SnsClientValidationTests : IDisposable
{
    private const string TopicArn = "arn:aws:sns:eu-west-1:123456789012:advisories";
    private const string PublishOk = """
        <PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">
          <PublishResult><MessageId>94f20ce6-13c5-43a0-9a9e-ca52d816e90b</MessageId></PublishResult>
          <ResponseMetadata><RequestId>f187a3c1-376f-11df-8963-01868b7c937a</RequestId></ResponseMetadata>
        </PublishResponse>
        """;

    private readonly StubAwsEndpoint _stub = new(StubResponse.Xml(200, PublishOk));
    private readonly SnsClient _sns;

    public SnsClientValidationTests()
    {
        _sns = new SnsClient(
            MotoServer.Credentials,
            new SnsClientConfig { ServiceURL = _stub.Url, AuthenticationRegion = "eu-west-1" });
    }

    public void Dispose()
    {
        _sns.Dispose();
        _stub.Dispose();
    }

    [Fact]
    public async Task Publish_WhenSubjectIsLongerThan100Characters_ShouldThrowArgumentExceptionWithoutCalling()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => _sns.PublishAsync(
            new PublishRequest { TopicArn = TopicArn, Message = "m", Subject = new string('s', 101) }));

        Assert.Contains("Subject must be 1 to 100 characters; it has 101", error.Message, StringComparison.Ordinal);
        Assert.Empty(_stub.Requests);
    }

    [Fact]
    public async Task Publish_WhenSubjectHasLineBreak_ShouldThrowArgumentException()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => _sns.PublishAsync(
            new PublishRequest { TopicArn = TopicArn, Message = "m", Subject = "line one\nline two" }));

        Assert.Contains("line breaks", error.Message, StringComparison.Ordinal);
        Assert.Empty(_stub.Requests);
    }

    [Fact]
    public async Task Publish_WhenMessageExceeds256KB_ShouldThrowArgumentExceptionWithoutCalling()
    {
        // 131,073 two-byte characters: 262,146 bytes, over the limit although under it in characters.
        var message = new string('é', (SnsClient.MaxMessageBytes / 2) + 1);

        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            _sns.PublishAsync(new PublishRequest { TopicArn = TopicArn, Message = message }));

        Assert.Contains("262146 bytes", error.Message, StringComparison.Ordinal);
        Assert.Contains("256 KB", error.Message, StringComparison.Ordinal);
        Assert.Empty(_stub.Requests);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"sqs":"no default"}""")]
    [InlineData("""{"default":{"nested":true}}""")]
    public async Task Publish_WhenJsonStructureIsInvalid_ShouldThrowArgumentException(string message)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _sns.PublishAsync(
            new PublishRequest { TopicArn = TopicArn, Message = message, MessageStructure = "json" }));

        Assert.Empty(_stub.Requests);
    }

    [Fact]
    public async Task Publish_WhenValid_ShouldPostSignedFormEncodedQueryAndReturnMessageId()
    {
        var response = await _sns.PublishAsync(new PublishRequest
        {
            TopicArn = TopicArn,
            Message = "a & b = c",
            Subject = "s",
            MessageAttributes = new Dictionary<string, SnsMessageAttribute> { ["category"] = SnsMessageAttribute.String("iam") },
        });

        Assert.Equal("94f20ce6-13c5-43a0-9a9e-ca52d816e90b", response.MessageId);
        var request = Assert.Single(_stub.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/", request.Path);
        Assert.StartsWith("application/x-www-form-urlencoded", request.Headers["Content-Type"], StringComparison.Ordinal);
        var form = ParseForm(request.Body);
        Assert.Equal("Publish", form["Action"]);
        Assert.Equal("2010-03-31", form["Version"]);
        Assert.Equal(TopicArn, form["TopicArn"]);
        Assert.Equal("a & b = c", form["Message"]);
        Assert.Equal("s", form["Subject"]);
        Assert.Equal("category", form["MessageAttributes.entry.1.Name"]);
        Assert.Equal("String", form["MessageAttributes.entry.1.Value.DataType"]);
        Assert.Equal("iam", form["MessageAttributes.entry.1.Value.StringValue"]);
        Assert.False(form.ContainsKey("MessageStructure"));
        Assert.Matches(@"^AWS4-HMAC-SHA256 Credential=testing/\d{8}/eu-west-1/sns/aws4_request, SignedHeaders=.*host.*x-amz-date.*, Signature=[0-9a-f]{64}$",
            request.Headers["Authorization"]);
    }

    [Fact]
    public async Task Publish_WhenServiceThrottlesEveryAttempt_ShouldRetryThenThrowRetryableThrottlingException()
    {
        const string throttled = """
            <ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">
              <Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error>
              <RequestId>9a1b2c3d</RequestId>
            </ErrorResponse>
            """;
        using var stub = new StubAwsEndpoint(StubResponse.Xml(400, throttled));
        using var sns = new SnsClient(
            MotoServer.Credentials,
            new SnsClientConfig { ServiceURL = stub.Url, AuthenticationRegion = "eu-west-1", MaxErrorRetry = 2 });

        var error = await AwsAssert.ThrowsAsync(AwsErrorKind.Throttling, () =>
            sns.PublishAsync(new PublishRequest { TopicArn = TopicArn, Message = "m" }));

        Assert.Equal("Throttling", error.ErrorCode);
        Assert.Equal("9a1b2c3d", error.RequestId);
        Assert.True(error.IsRetryable);
        Assert.Equal(3, stub.Requests.Count);
    }

    private static Dictionary<string, string> ParseForm(string body) => body
        .Split('&', StringSplitOptions.RemoveEmptyEntries)
        .Select(pair => pair.Split('=', 2))
        .ToDictionary(p => Uri.UnescapeDataString(p[0].Replace('+', ' ')), p => Uri.UnescapeDataString(p[1].Replace('+', ' ')));
}
