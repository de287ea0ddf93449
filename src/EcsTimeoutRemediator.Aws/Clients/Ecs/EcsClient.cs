using Amazon.Runtime;
using EcsTimeoutRemediator.Aws.Clients.Runtime;

namespace EcsTimeoutRemediator.Aws.Clients.Ecs;

/// <summary>The ECS operations the remediator uses.</summary>
public interface IEcsClient
{
    /// <summary>Describes services with their tags; batches of 10 are merged into one response.</summary>
    Task<DescribeServicesResponse> DescribeServicesAsync(
        DescribeServicesRequest request, CancellationToken cancellationToken = default);

    /// <summary>Updates a service and returns it as ECS reports it after the update.</summary>
    Task<EcsService> UpdateServiceAsync(UpdateServiceRequest request, CancellationToken cancellationToken = default);

    Task<DescribeTaskDefinitionResponse> DescribeTaskDefinitionAsync(
        DescribeTaskDefinitionRequest request, CancellationToken cancellationToken = default);

    /// <summary>Describes tasks; batches of 100 are merged into one response.</summary>
    Task<DescribeTasksResponse> DescribeTasksAsync(
        DescribeTasksRequest request, CancellationToken cancellationToken = default);

    Task<ListTagsForResourceResponse> ListTagsForResourceAsync(
        ListTagsForResourceRequest request, CancellationToken cancellationToken = default);

    Task<DescribeClustersResponse> DescribeClustersAsync(
        DescribeClustersRequest request, CancellationToken cancellationToken = default);

    /// <summary>Describes capacity providers; every page (NextToken) is merged into one response.</summary>
    Task<DescribeCapacityProvidersResponse> DescribeCapacityProvidersAsync(
        DescribeCapacityProvidersRequest request, CancellationToken cancellationToken = default);
}

/// <summary>Typed ECS client (JSON 1.1) on AWSSDK.Core's pipeline.</summary>
public sealed class EcsClient : AwsJsonClient, IEcsClient
{
    /// <summary>ECS's own limit of services per DescribeServices call.</summary>
    public const int MaxServicesPerCall = 10;

    /// <summary>ECS's own limit of tasks per DescribeTasks call.</summary>
    public const int MaxTasksPerCall = 100;

    /// <summary>How many of a service's events (most recent first) are kept.</summary>
    public const int MaxEventsPerService = 10;

    /// <summary>Default credential chain; region and endpoint from <paramref name="config"/> and the environment.</summary>
    public EcsClient(EcsClientConfig config)
        : base(null, config)
    {
    }

    public EcsClient(AWSCredentials? credentials, EcsClientConfig config)
        : base(credentials, config)
    {
    }

    public async Task<DescribeServicesResponse> DescribeServicesAsync(
        DescribeServicesRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(request.Cluster);
        ArgumentNullException.ThrowIfNull(request.Services);

        List<EcsService> services = [];
        List<EcsFailure> failures = [];
        foreach (var batch in request.Services.Chunk(MaxServicesPerCall))
        {
            var response = await InvokeJsonAsync(
                "DescribeServices",
                request with { Services = batch },
                AwsJsonContext.Info<DescribeServicesRequest>(),
                AwsJsonContext.Info<DescribeServicesResponse>(),
                cancellationToken);
            services.AddRange(response.Services.Select(TrimEvents));
            failures.AddRange(response.Failures);
        }

        return new DescribeServicesResponse { Services = services, Failures = failures };
    }

    public async Task<EcsService> UpdateServiceAsync(
        UpdateServiceRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(request.Cluster);
        ArgumentException.ThrowIfNullOrEmpty(request.Service);
        if (request.HealthCheckGracePeriodSeconds < 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(request), request.HealthCheckGracePeriodSeconds, "HealthCheckGracePeriodSeconds must be 0 or more.");
        }

        var response = await InvokeJsonAsync(
            "UpdateService",
            request,
            AwsJsonContext.Info<UpdateServiceRequest>(),
            AwsJsonContext.Info<UpdateServiceResponse>(),
            cancellationToken);
        return TrimEvents(response.Service ?? new EcsService());
    }

    public Task<DescribeTaskDefinitionResponse> DescribeTaskDefinitionAsync(
        DescribeTaskDefinitionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(request.TaskDefinition);
        return InvokeJsonAsync(
            "DescribeTaskDefinition",
            request,
            AwsJsonContext.Info<DescribeTaskDefinitionRequest>(),
            AwsJsonContext.Info<DescribeTaskDefinitionResponse>(),
            cancellationToken);
    }

    public async Task<DescribeTasksResponse> DescribeTasksAsync(
        DescribeTasksRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(request.Cluster);
        ArgumentNullException.ThrowIfNull(request.Tasks);

        List<EcsTask> tasks = [];
        List<EcsFailure> failures = [];
        foreach (var batch in request.Tasks.Chunk(MaxTasksPerCall))
        {
            var response = await InvokeJsonAsync(
                "DescribeTasks",
                request with { Tasks = batch },
                AwsJsonContext.Info<DescribeTasksRequest>(),
                AwsJsonContext.Info<DescribeTasksResponse>(),
                cancellationToken);
            tasks.AddRange(response.Tasks);
            failures.AddRange(response.Failures);
        }

        return new DescribeTasksResponse { Tasks = tasks, Failures = failures };
    }

    public Task<ListTagsForResourceResponse> ListTagsForResourceAsync(
        ListTagsForResourceRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(request.ResourceArn);
        return InvokeJsonAsync(
            "ListTagsForResource",
            request,
            AwsJsonContext.Info<ListTagsForResourceRequest>(),
            AwsJsonContext.Info<ListTagsForResourceResponse>(),
            cancellationToken);
    }

    public Task<DescribeClustersResponse> DescribeClustersAsync(
        DescribeClustersRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Clusters);
        return InvokeJsonAsync(
            "DescribeClusters",
            request,
            AwsJsonContext.Info<DescribeClustersRequest>(),
            AwsJsonContext.Info<DescribeClustersResponse>(),
            cancellationToken);
    }

    public async Task<DescribeCapacityProvidersResponse> DescribeCapacityProvidersAsync(
        DescribeCapacityProvidersRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.CapacityProviders);
        List<EcsFailure> failures = [];
        var providers = await Paging.AllAsync("DescribeCapacityProviders", async token =>
        {
            var response = await InvokeJsonAsync(
                "DescribeCapacityProviders",
                request with { NextToken = token },
                AwsJsonContext.Info<DescribeCapacityProvidersRequest>(),
                AwsJsonContext.Info<DescribeCapacityProvidersResponse>(),
                cancellationToken);
            failures.AddRange(response.Failures);
            return new Page<EcsCapacityProvider>(response.CapacityProviders, response.NextToken);
        });

        return new DescribeCapacityProvidersResponse { CapacityProviders = providers, Failures = failures };
    }

    private static EcsService TrimEvents(EcsService service) =>
        service.Events.Count <= MaxEventsPerService
            ? service
            : service with { Events = [.. service.Events.Take(MaxEventsPerService)] };
}
