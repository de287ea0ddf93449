using System.Text;
using EcsTimeoutRemediator.Advisories;
using EcsTimeoutRemediator.Advisories.Formats;
using EcsTimeoutRemediator.Aws.Clients.Sns;
using EcsTimeoutRemediator.Ports;
using EcsTimeoutRemediator.Vocabulary;

namespace EcsTimeoutRemediator.Aws.Adapters;

/// <summary>
/// Publishes advisories to one SNS topic with <c>MessageStructure=json</c>: the Chatbot custom notification as
/// <c>default</c> (Chatbot, SQS, Lambda and HTTPS subscribers) and the plain text as <c>email</c>; the subject
/// is the e-mail subject; the account, category and cluster are message attributes for subscription filter policies (a team subscribes to its own accounts).
/// </summary>
public sealed class SnsAdvisoryPublisher(ISnsClient sns, string topicArn) : IAdvisoryPublisher
{
    public async Task<string> PublishAsync(Advisory advisory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(advisory);
        var attributes = new Dictionary<string, SnsMessageAttribute>
        {
            ["category"] = SnsMessageAttribute.String(advisory.Classification.Category),
            ["account"] = SnsMessageAttribute.String(string.IsNullOrEmpty(advisory.Task.Account) ? "-" : advisory.Task.Account),
            ["cluster"] = SnsMessageAttribute.String(string.IsNullOrEmpty(advisory.Task.Cluster) ? "-" : advisory.Task.Cluster),
        };
        var attributeBytes = attributes.Sum(a => Encoding.UTF8.GetByteCount(a.Key) + Encoding.UTF8.GetByteCount(a.Value.DataType) + Encoding.UTF8.GetByteCount(a.Value.StringValue));
        var request = new PublishRequest
        {
            TopicArn = topicArn,
            Subject = Text.Truncate(advisory.Subject.ReplaceLineEndings(" "), SnsClient.MaxSubjectLength),
            MessageStructure = "json",
            Message = SnsMessageFormat.Render(advisory, SnsClient.MaxMessageBytes - attributeBytes),
            MessageAttributes = attributes,
        };
        var response = await sns.PublishAsync(request, cancellationToken).ConfigureAwait(false);
        return response.MessageId;
    }
}
