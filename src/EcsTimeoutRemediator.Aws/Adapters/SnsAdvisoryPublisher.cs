using EcsTimeoutRemediator.Advisories;
using EcsTimeoutRemediator.Aws.Clients.Sns;
using EcsTimeoutRemediator.Ports;

namespace EcsTimeoutRemediator.Aws.Adapters;

/// <summary>Publishes advisories to one SNS topic: the subject as the e-mail subject, the body as the message.</summary>
public sealed class SnsAdvisoryPublisher(ISnsClient sns, string topicArn) : IAdvisoryPublisher
{
    public async Task<string> PublishAsync(Advisory advisory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(advisory);
        var request = new PublishRequest
        {
            TopicArn = topicArn,
            Subject = Text.Truncate(advisory.Subject.ReplaceLineEndings(" "), SnsClient.MaxSubjectLength),
            Message = Text.TruncateUtf8(advisory.Body, SnsClient.MaxMessageBytes - 1024),
            MessageAttributes = new Dictionary<string, SnsMessageAttribute>
            {
                ["category"] = SnsMessageAttribute.String(advisory.Classification.Category),
                ["cluster"] = SnsMessageAttribute.String(string.IsNullOrEmpty(advisory.Task.Cluster) ? "-" : advisory.Task.Cluster),
            },
        };
        var response = await sns.PublishAsync(request, cancellationToken).ConfigureAwait(false);
        return response.MessageId;
    }
}
