namespace EcsTimeoutRemediator.Aws.Clients;

/// <summary>
/// What the SDK pipeline needs to know about one AWS service: the identifiers from its botocore model.
/// </summary>
/// <param name="ServiceId">The model's serviceId ("ECS", "Elastic Load Balancing v2"); it names the
/// <c>AWS_ENDPOINT_URL_&lt;SERVICE_ID&gt;</c> variable.</param>
/// <param name="SigningName">The SigV4 signing name ("ecs", "elasticloadbalancing").</param>
/// <param name="EndpointPrefix">The host prefix of the regional endpoint.</param>
/// <param name="ApiVersion">The API version (the Query protocol sends it as <c>Version</c>).</param>
/// <param name="JsonTargetPrefix">JSON 1.1 only: the <c>X-Amz-Target</c> prefix.</param>
/// <param name="IsGlobal">True for a partition-global endpoint such as IAM's.</param>
public sealed record AwsServiceDescriptor(
    string ServiceId,
    string SigningName,
    string EndpointPrefix,
    string ApiVersion,
    string? JsonTargetPrefix = null,
    bool IsGlobal = false)
{
    public static AwsServiceDescriptor Ecs { get; } =
        new("ECS", "ecs", "ecs", "2014-11-13", JsonTargetPrefix: "AmazonEC2ContainerServiceV20141113");

    public static AwsServiceDescriptor Sns { get; } = new("SNS", "sns", "sns", "2010-03-31");

    public static AwsServiceDescriptor ElbV2 { get; } =
        new("Elastic Load Balancing v2", "elasticloadbalancing", "elasticloadbalancing", "2015-12-01");

    public static AwsServiceDescriptor Ecr { get; } =
        new("ECR", "ecr", "api.ecr", "2015-09-21", JsonTargetPrefix: "AmazonEC2ContainerRegistry_V20150921");

    public static AwsServiceDescriptor Logs { get; } =
        new("CloudWatch Logs", "logs", "logs", "2014-03-28", JsonTargetPrefix: "Logs_20140328");

    /// <summary>EFS speaks rest-json (no target prefix): paths under <c>/2015-02-01/</c>.</summary>
    public static AwsServiceDescriptor Efs { get; } = new("EFS", "elasticfilesystem", "elasticfilesystem", "2015-02-01");

    public static AwsServiceDescriptor SecretsManager { get; } =
        new("Secrets Manager", "secretsmanager", "secretsmanager", "2017-10-17", JsonTargetPrefix: "secretsmanager");

    public static AwsServiceDescriptor Kms { get; } = new("KMS", "kms", "kms", "2014-11-01", JsonTargetPrefix: "TrentService");

    /// <summary>STS: Query protocol on the regional endpoint (<c>sts.{region}.amazonaws.com</c>).</summary>
    public static AwsServiceDescriptor Sts { get; } = new("STS", "sts", "sts", "2011-06-15");

    /// <summary>IAM: Query protocol on the partition-global endpoint, signed for us-east-1.</summary>
    public static AwsServiceDescriptor Iam { get; } = new("IAM", "iam", "iam", "2010-05-08", IsGlobal: true);
}
