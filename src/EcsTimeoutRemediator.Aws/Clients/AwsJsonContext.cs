using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using EcsTimeoutRemediator.Aws.Clients.Ecr;
using EcsTimeoutRemediator.Aws.Clients.Ecs;
using EcsTimeoutRemediator.Aws.Clients.Logs;

namespace EcsTimeoutRemediator.Aws.Clients;

/// <summary>
/// The one source-generated serializer context for every JSON wire model of the Aws project (ECS now;
/// ECR and CloudWatch Logs later). camelCase names, nulls omitted, epoch-seconds timestamps. Services whose
/// members are PascalCase on the wire (Secrets Manager, KMS) name them with <see cref="JsonPropertyNameAttribute"/>.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(EpochSecondsConverter)])]
[JsonSerializable(typeof(DescribeServicesRequest))]
[JsonSerializable(typeof(DescribeServicesResponse))]
[JsonSerializable(typeof(UpdateServiceRequest))]
[JsonSerializable(typeof(UpdateServiceResponse))]
[JsonSerializable(typeof(DescribeTaskDefinitionRequest))]
[JsonSerializable(typeof(DescribeTaskDefinitionResponse))]
[JsonSerializable(typeof(DescribeTasksRequest))]
[JsonSerializable(typeof(DescribeTasksResponse))]
[JsonSerializable(typeof(DescribeClustersRequest))]
[JsonSerializable(typeof(DescribeClustersResponse))]
[JsonSerializable(typeof(DescribeCapacityProvidersRequest))]
[JsonSerializable(typeof(DescribeCapacityProvidersResponse))]
[JsonSerializable(typeof(ListTagsForResourceRequest))]
[JsonSerializable(typeof(ListTagsForResourceResponse))]
[JsonSerializable(typeof(Ecr.DescribeImagesRequest))]
[JsonSerializable(typeof(Ecr.DescribeImagesResponse))]
[JsonSerializable(typeof(Ecr.BatchGetImageRequest))]
[JsonSerializable(typeof(Ecr.BatchGetImageResponse))]
[JsonSerializable(typeof(Ecr.GetDownloadUrlForLayerRequest))]
[JsonSerializable(typeof(Ecr.GetDownloadUrlForLayerResponse))]
[JsonSerializable(typeof(DescribeLogGroupsRequest))]
[JsonSerializable(typeof(DescribeLogGroupsResponse))]
[JsonSerializable(typeof(SecretsManager.DescribeSecretRequest))]
[JsonSerializable(typeof(SecretsManager.DescribeSecretResponse))]
[JsonSerializable(typeof(Kms.DescribeKeyRequest))]
[JsonSerializable(typeof(Kms.DescribeKeyResponse))]
internal sealed partial class AwsJsonContext : JsonSerializerContext
{
    /// <summary>
    /// The wire metadata of <typeparamref name="T"/>: the context's, with one change for requests: empty
    /// lists are left out of the body, so that "not given" is never sent as "set to nothing".
    /// </summary>
    public static JsonTypeInfo<T> Info<T>() => (JsonTypeInfo<T>)WireOptions.Instance.GetTypeInfo(typeof(T));

    private static class WireOptions
    {
        public static readonly JsonSerializerOptions Instance = new(AwsJsonContext.Default.Options)
        {
            TypeInfoResolver = AwsJsonContext.Default.WithAddedModifier(OmitEmptyCollections),
        };
    }

    private static void OmitEmptyCollections(JsonTypeInfo type)
    {
        if (type.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }

        foreach (var property in type.Properties)
        {
            if (typeof(System.Collections.IEnumerable).IsAssignableFrom(property.PropertyType) &&
                property.PropertyType != typeof(string))
            {
                property.ShouldSerialize = static (_, value) =>
                    value is not System.Collections.ICollection { Count: 0 };
            }
        }
    }
}
