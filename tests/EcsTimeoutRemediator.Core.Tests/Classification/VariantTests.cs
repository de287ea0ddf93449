using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Events;

namespace EcsTimeoutRemediator.Tests.Classification;

/// <summary>
/// Several wordings per category as ECS agents, Fargate platform versions and container runtimes write them:
/// the classifier keys on meaning, so every variant of a category must land in it.
/// </summary>
public class VariantTests
{
    private const string Ecr = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";

    public static TheoryData<string, string, string?> Reasons() => new()
    {
        // image-pull/network: old docker API wording, containerd wording, registry-auth time-out, truncated
        { Category.ImagePullNetwork, $"CannotPullContainerError: API error (500): Get https://{Ecr}/v2/: net/http: request canceled while waiting for connection (Client.Timeout exceeded while awaiting headers)", "TaskFailedToStart" },
        { Category.ImagePullNetwork, "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve ecr registry auth: service call has been retried 3 time(s): RequestError: send request failed caused by: Post \"https://api.ecr.eu-west-1.amazonaws.com/\": dial tcp 52.94.48.112:443: i/o timeout", "TaskFailedToStart" },
        { Category.ImagePullNetwork, "ResourceInitializationError: unable to pull secrets or registry auth: pull command failed: : signal: killed", null },
        { Category.ImagePullNetwork, $"CannotPullContainerError: ref pull has been retried 1 time(s): failed to copy: httpReadSeeker: failed open: failed to do request: Get \"https://prod-eu-west-1-starport-layer-bucket.s3.eu-west-1.amazonaws.com/a1b2/c3d4\": dial tcp 52.218.1.10:443: i/o timeout", "TaskFailedToStart" },
        { Category.ImagePullNetwork, $"CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref {Ecr}/orders/api:2.1.0: failed to do request: Head \"https://{Ecr}/v2/orders/api/manif", "TaskFailedToStart" },
        { Category.ImagePullNetwork, "CannotPullContainerError: Error response from daemon: Get https://registry-1.docker.io/v2/: context deadline exceeded", null },
        { Category.ImagePullNetwork, "CannotPullContainerError: Error response from daemon: Get \"https://ghcr.io/v2/\": dial tcp: lookup ghcr.io on 10.0.0.2:53: no such host", null },

        // image-pull/permission
        { Category.ImagePullPermission, "CannotPullContainerError: Error response from daemon: pull access denied for 123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders/api, repository does not exist or may require 'docker login': denied: User: arn:aws:sts::123456789012:assumed-role/ecsTaskExecutionRole/abc is not authorized to perform: ecr:BatchGetImage", null },
        { Category.ImagePullPermission, "CannotPullContainerError: Error response from daemon: Get https://123456789012.dkr.ecr.eu-west-1.amazonaws.com/v2/orders/api/manifests/latest: no basic auth credentials", null },
        { Category.ImagePullPermission, "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve ecr registry auth: service call has been retried 3 time(s): AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/exec/1 is not authorized to perform: ecr:GetAuthorizationToken", "TaskFailedToStart" },
        { Category.ImagePullPermission, $"CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref {Ecr}/orders/api:1: pulling from host {Ecr} failed with status code [manifests 1]: 403 Forbidden", "TaskFailedToStart" },
        { Category.ImagePullPermission, "CannotPullContainerError: failed to resolve ref ghcr.io/acme/private:1.0: failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://ghcr.io/token?scope=repository%3Aacme%2Fprivate%3Apull: 401 Unauthorized", "TaskFailedToStart" },

        // image-pull/not-found
        { Category.ImagePullNotFound, "CannotPullContainerError: Error response from daemon: pull access denied for acme/does-not-exist, repository does not exist or may require 'docker login': denied: requested access to the resource is denied", null },
        { Category.ImagePullNotFound, $"CannotPullContainerError: Error response from daemon: manifest for {Ecr}/orders/api:v9 not found: manifest unknown: Requested image not found", null },
        { Category.ImagePullNotFound, $"CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref {Ecr}/orders/api:v9: {Ecr}/orders/api:v9: not found", "TaskFailedToStart" },
        { Category.ImagePullNotFound, "CannotPullContainerError: ref pull has been retried 1 time(s): failed to resolve reference \"docker.io/library/ngnix:latest\": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed", "TaskFailedToStart" },

        // image-pull/rate-limit
        { Category.ImagePullRateLimit, "CannotPullContainerError: inspect image has been retried 1 time(s): httpReaderSeeker: failed open: unexpected status code https://registry-1.docker.io/v2/library/redis/manifests/sha256:abc: 429 Too Many Requests - Server message: toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading", "TaskFailedToStart" },
        { Category.ImagePullRateLimit, "CannotPullContainerError: Error response from daemon: toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit", null },
        { Category.ImagePullRateLimit, "CannotPullContainerError: Error response from daemon: toomanyrequests: Too Many Requests (HAP429).", null },

        // image-pull/platform
        { Category.ImagePullPlatform, "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to unpack image on snapshotter overlayfs: image Manifest does not contain descriptor matching platform 'linux/amd64'", "TaskFailedToStart" },
        { Category.ImagePullPlatform, "CannotPullContainerError: Error response from daemon: no matching manifest for linux/arm64/v8 in the manifest list entries", null },
        { Category.ImagePullPlatform, "CannotStartContainerError: ResourceInitializationError: failed to create new container runtime task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: \"/docker-entrypoint.sh\": exec format error: unknown", "TaskFailedToStart" },

        // secrets/network
        { Category.SecretsNetwork, "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secrets from ssm: service call has been retried 5 time(s): RequestError: send request failed caused by: Post \"https://ssm.eu-west-1.amazonaws.com/\": dial tcp 67.220.240.1:443: i/o timeout", "TaskFailedToStart" },
        { Category.SecretsNetwork, "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 5 time(s): failed to fetch secret arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-Ab12Cd from secrets manager: RequestCanceled: request context canceled caused by: context deadline exceeded", "TaskFailedToStart" },
        { Category.SecretsNetwork, "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 5 time(s): failed to fetch secret arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-Ab12Cd from secrets manager: RequestError: send request fa", "TaskFailedToStart" },
        { Category.SecretsNetwork, "Fetching secret data from SSM Parameter Store in eu-west-1: RequestError: send request failed caused by: Post https://ssm.eu-west-1.amazonaws.com/: net/http: request canceled while waiting for connection", null },

        // secrets/permission
        { Category.SecretsPermission, "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): failed to fetch secret arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-Ab12Cd from secrets manager: AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/exec/1 is not authorized to perform: secretsmanager:GetSecretValue", "TaskFailedToStart" },
        { Category.SecretsPermission, "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secrets from ssm: service call has been retried 1 time(s): AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/exec/1 is not authorized to perform: ssm:GetParameters on resource: arn:aws:ssm:eu-west-1:123456789012:parameter/app/db", "TaskFailedToStart" },
        { Category.SecretsPermission, "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): failed to fetch secret arn:aws:secretsmanager:eu-west-1:123456789012:secret:db from secrets manager: AccessDeniedException: Access to KMS is not allowed", "TaskFailedToStart" },

        // secrets/not-found
        { Category.SecretsNotFound, "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secrets from ssm: service call has been retried 1 time(s): invalid parameters: /app/prod/db-password", "TaskFailedToStart" },
        { Category.SecretsNotFound, "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): failed to fetch secret arn:aws:secretsmanager:eu-west-1:123456789012:secret:gone from secrets manager: ResourceNotFoundException: Secrets Manager can't find the specified secret.", "TaskFailedToStart" },
        { Category.SecretsNotFound, "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): retrieved secret from Secrets Manager did not contain json key password", "TaskFailedToStart" },

        // logs/*
        { Category.LogsNetwork, "CannotStartContainerError: Error response from daemon: failed to initialize logging driver: failed to create Cloudwatch log stream: RequestError: send request failed caused by: Post https://logs.eu-west-1.amazonaws.com/: dial tcp 3.5.1.1:443: i/o timeout", null },
        { Category.LogsNetwork, "ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: RequestError: send request failed caused by: Post \"https://logs.eu-west-1.amazonaws.com/\": context deadline exceeded", "TaskFailedToStart" },
        { Category.LogsPermission, "CannotStartContainerError: Error response from daemon: failed to initialize logging driver: failed to create Cloudwatch log stream: AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/exec/1 is not authorized to perform: logs:CreateLogStream", null },
        { Category.LogsPermission, "ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log group: AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/exec/1 is not authorized to perform: logs:CreateLogGroup", "TaskFailedToStart" },
        { Category.LogsNotFound, "CannotStartContainerError: Error response from daemon: failed to initialize logging driver: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist.", null },
        { Category.LogsNotFound, "ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist. : exit status 1", "TaskFailedToStart" },

        // efs/*
        { Category.EfsNetwork, "ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes: stderr: mount.nfs4: Connection timed out : unsuccessful EFS utils command execution; code: 32", "TaskFailedToStart" },
        { Category.EfsNetwork, "ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes: stderr: Failed to resolve \"fs-0123456789abcdef0.efs.eu-west-1.amazonaws.com\" - check that your file system ID is correct, and ensure that the VPC has an EFS mount target", "TaskFailedToStart" },
        { Category.EfsNetwork, "ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes: stderr: mount.nfs4: Connection reset by peer : unsuccessful EFS utils command execution; code: 32", "TaskFailedToStart" },
        { Category.EfsPermission, "ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes: stderr: b'mount.nfs4: access denied by server while mounting 127.0.0.1:/data' : unsuccessful EFS utils command execution; code: 32", "TaskFailedToStart" },
        { Category.EfsPermission, "ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes: stderr: Failed to mount fs-0123456789abcdef0 because of access denied: the task role is not authorized to perform elasticfilesystem:ClientMount", "TaskFailedToStart" },

        // eni/timeout
        { Category.EniTimeout, "Timeout waiting for network interface provisioning to complete.", "TaskFailedToStart" },
        { Category.EniTimeout, "ResourceInitializationError: failed to configure ENI: timed out waiting for ENI attachment", "TaskFailedToStart" },
        { Category.EniTimeout, "Task failed to start: network interface provisioning did not complete", "TaskFailedToStart" },

        // health/*
        { Category.HealthElb, "Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/orders/0123456789abcdef)", "ServiceSchedulerInitiated" },
        { Category.HealthElb, "Task failed ELB health checks in (elb my-classic-lb)", "ServiceSchedulerInitiated" },
        { Category.HealthElb, "Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/a-very-long-target-group-name-for/0123", null },
        { Category.HealthContainer, "Task failed container health checks", "ServiceSchedulerInitiated" },
        { Category.HealthContainer, "Essential container in task exited: container health check failed", "EssentialContainerExited" },

        // start/container
        { Category.StartContainer, "CannotStartContainerError: Error response from daemon: OCI runtime create failed: container_linux.go:380: starting container process caused: exec: \"node\": executable file not found in $PATH: unknown", null },
        { Category.ImagePullUnpack, "CannotCreateContainerError: Error response from daemon: devmapper: Thin Pool has 4350 free data blocks which is less than minimum required", null },
        { Category.StartContainer, "CannotStartContainerError: ResourceInitializationError: failed to create new container runtime task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: error mounting", "TaskFailedToStart" },

        // benign
        { Category.BenignUser, "Task stopped by user", "UserInitiated" },
        { Category.BenignUser, "Stopped manually by the on-call engineer", "UserInitiated" },
        { Category.BenignUser, "", "UserInitiated" },
        { Category.BenignScaling, "Scaling activity initiated by (deployment ecs-svc/1234567890123456789)", "ServiceSchedulerInitiated" },
        { Category.BenignScaling, "Service orders-api: task replaced by deployment", "ServiceSchedulerInitiated" },
        { Category.BenignScaling, "", "ServiceSchedulerInitiated" },
        { Category.BenignSpot, "Your Spot Task was interrupted.", "SpotInterruption" },
        { Category.BenignSpot, "", "SpotInterruption" },
        { Category.BenignMaintenance, "Task is being retired due to a scheduled event.", "TerminationNotice" },
        { Category.BenignMaintenance, "Host EC2 (instance i-0123456789abcdef0) stopped/terminated.", null },
        { Category.BenignMaintenance, "ECS is performing maintenance on the underlying infrastructure hosting the task.", "TerminationNotice" },

        // unknown
        // The agent's prescriptive prefixes (with its typographic apostrophe) name the kind even when the cut leaves nothing else.
        { Category.ImagePullPermission, "CannotPullContainerError: The task can’t pull the image. Check that the role has the permissions to pull images from the registry. Error resp", "TaskFailedToStart" },
        { Category.ImagePullNotFound, "CannotPullContainerError: The task can’t pull the image. Check whether the image exists. Error response from daemon: manifest for 123456789012.dkr.ecr.us-east-1.amazonaws.com/x:1 not fo", "TaskFailedToStart" },
        { Category.ImagePullNetwork, "CannotPullECRContainerError: The task can’t pull the image. Check your network configuration. operation error ECR: GetAuthorizationToken, https response error StatusCode: 0", "TaskFailedToStart" },
        { Category.Unknown, "(service web) failed to register targets in (target-group arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web/0a1b2c3d4e5f6a7b) with (error TargetGroupNotFound: Target groups not found)", null },
        { Category.Unknown, "", null },
        { Category.Unknown, "Something odd", "SomethingNew" },

        // A registry's token step: credentials when nothing else is named, the network when a network fault is.
        { Category.ImagePullPermission, "CannotPullContainerError: failed to resolve ref quay.io/acme/worker:7: failed to authorize: failed to fetch anonymous token", "TaskFailedToStart" },
        { Category.ImagePullNetwork, "CannotPullContainerError: failed to resolve ref quay.io/acme/worker:7: failed to authorize: failed to fetch anonymous token: Get \"https://quay.io/v2/auth\": dial tcp 3.216.1.1:443: i/o timeout", "TaskFailedToStart" },
        { Category.ImagePullPermission, "ResourceInitializationError: unable to pull secrets or registry auth: operation error ECR: GetAuthorizationToken, https response error StatusCode: 403, RequestID: 0f", "TaskFailedToStart" },

        // An AWS not-found exception is the service's answer: a killed helper in the same message does not make it a network fault.
        { Category.LogsNotFound, "ResourceInitializationError: failed to validate logger args: create stream has been retried 3 times: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist. : signal: killed", "TaskFailedToStart" },
        { Category.SecretsNotFound, "ResourceInitializationError: unable to pull secrets or registry auth: unable to retrieve secrets from ssm: ParameterNotFound: /app/db-url : signal: killed", "TaskFailedToStart" },

        // The agent could not reach its own container runtime: not a registry, network or role fault.
        { Category.Unknown, "CannotPullContainerError: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?", "TaskFailedToStart" },

        // The runtime could not create or start the container: Windows HCS and the agent's host configuration.
        { Category.StartContainer, "CannotStartContainerError: Error response from daemon: hcsshim::CreateComputeSystem 4f1e: The parameter is incorrect.", "TaskFailedToStart" },
        { Category.StartContainer, "CannotCreateContainerError: Error response from daemon: container 7a2b encountered an error during hcs::System::Create: failure in a Windows system call: Access is denied. (0x5)", "TaskFailedToStart" },
        { Category.StartContainer, "HostConfigError: unable to resolve volume mounts: the source path of volume data is not absolute", "TaskFailedToStart" },

        // The ECS volume plugin mounts EFS on EC2 container instances.
        { Category.EfsNetwork, "Error response from daemon: create ecs-api-4-data-9f: Post http://%2Frun%2Fdocker%2Fplugins%2Famazon-ecs-volume-plugin.sock/VolumeDriver.Create: net/http: request canceled (Client.Timeout exceeded while awaiting headers)", null },

        // The agent found no credentials to pull with: the execution role or the registry credentials, not a missing image.
        { Category.ImagePullPermission, "CannotPullECRContainerError: engine ecr credentials: not found", "TaskFailedToStart" },

        // Secrets Manager's own words: a JSON key, an empty value and a version id the API rejects are references to fix.
        { Category.SecretsNotFound, "ResourceInitializationError: unable to pull secrets... did not contain json key DB_PASSWORD", "TaskFailedToStart" },
        { Category.SecretsNotFound, "ResourceInitializationError: unable to pull secrets or registry auth: unable to retrieve secret from asm: failed to fetch secret arn:aws:secretsmanager:eu-west-1:123456789012:secret:db from secrets manager: InvalidParameter: 1 validation error(s) found.", "TaskFailedToStart" },

        // The load balancer's reason for a target, without the target group named.
        { Category.HealthElb, "(service web) (task 0a1b) (port 8080) is unhealthy due to (reason Health checks failed with these codes: [502])", null },

        // Connection draining of a task set is a deployment; a draining container instance is maintenance.
        { Category.BenignScaling, "(service web, taskSet ecs-svc/1234567890) has begun draining connections on 2 tasks.", null },
        { Category.BenignMaintenance, "Container instance is draining", "ServiceSchedulerInitiated" },

        // A connection closed mid-answer (": EOF") is the network, even in the token step.
        { Category.ImagePullNetwork, "CannotPullContainerError: failed to resolve ref ghcr.io/acme/app:1: failed to authorize: failed to fetch anonymous token: Get \"https://ghcr.io/token?scope=repository%3Aacme%2Fapp%3Apull\": EOF", "TaskFailedToStart" },

        // efs-utils without a Region never reached the file system: neither network nor permission.
        { Category.Unknown, "Error response from daemon: create ecs-api-3-data: VolumeDriver.Create: mounting volume failed: Error retrieving region. Please set the \"region\" parameter in the efs-utils configuration file.", null },

        // The agent's network namespace set-up for awsvpc.
        { Category.EniTimeout, "container resource provisioning: empty result from network namespace setup", "TaskFailedToStart" },

        // RunTask's placement failure reasons, quoted alone.
        { Category.PlacementCapacity, "AGENT", null },
        { Category.PlacementCapacity, " ATTRIBUTE ", null },
        { Category.PlacementCapacity, "TaskFailedToStart: AGENT", "TaskFailedToStart" },
        { Category.PlacementCapacity, "TaskFailedToStart: LOCATION", "TaskFailedToStart" },
        { Category.PlacementCapacity, "TaskFailedToStart: ATTRIBUTE", "TaskFailedToStart" },
        { Category.Unknown, "AGENT restarted", null },

        // A capacity provider that could not launch instances leaves nothing to place the task on.
        { Category.PlacementCapacity, "service api was unable to place a task. Reason: ResourceInitializationError: Unable to launch instance(s) for capacity provider spot-cp. InsufficientInstanceCapacity", null },
    };

    [Theory]
    [MemberData(nameof(Reasons))]
    public void Classify_WhenGivenARealWorldVariant_ShouldLandInItsCategory(string expected, string reason, string? stopCode)
    {
        var result = Classifier.Classify(reason, stopCode);

        Assert.Equal(expected, result.Category);
    }

    [Fact]
    public void Classify_WhenOnlyTheContainerReasonNamesOom_ShouldBeExitOom()
    {
        var facts = new StopFacts
        {
            StoppedReason = "Essential container in task exited",
            StopCode = "EssentialContainerExited",
            Containers = [new ContainerDetail { Name = "worker", ExitCode = 137, Reason = "OutOfMemoryError: Container killed due to memory usage" }],
        };

        var result = Classifier.Classify(facts);

        Assert.Equal(Category.ExitOom, result.Category);
        Assert.Equal("worker", result.Evidence.ContainerName);
        Assert.Equal(137, result.Evidence.ExitCode);
        Assert.Equal("OutOfMemoryError: Container killed due to memory usage", result.Evidence.MatchedText);
    }

    [Fact]
    public void Classify_WhenExitCode137HasNoOomReason_ShouldBeExitEssentialNotOom()
    {
        var facts = new StopFacts
        {
            StoppedReason = "Essential container in task exited",
            Containers = [new ContainerDetail { Name = "worker", ExitCode = 137 }],
        };

        var result = Classifier.Classify(facts);

        Assert.Equal(Category.ExitEssential, result.Category);
        Assert.Contains("137", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_WhenEc2ContainerReasonIsAPullTimeout_ShouldBeImagePullNetwork()
    {
        var facts = new StopFacts
        {
            StoppedReason = "Essential container in task exited",
            Containers =
            [
                new ContainerDetail { Name = "sidecar", ExitCode = 0 },
                new ContainerDetail { Name = "app", Image = "registry.example.com/team/app:3", Reason = "CannotPullContainerError: Error response from daemon: Get https://registry.example.com/v2/: net/http: TLS handshake timeout" },
            ],
        };

        var result = Classifier.Classify(facts);

        Assert.Equal(Category.ImagePullNetwork, result.Category);
        Assert.Equal("app", result.Evidence.ContainerName);
        Assert.Equal("registry.example.com", result.Evidence.RegistryHost);
    }

    [Fact]
    public void Classify_WhenStopCodeIsServiceSchedulerButReasonIsElb_ShouldBeActionableHealthElb()
    {
        var result = Classifier.Classify(
            "Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/web/1a2b3c4d5e6f7a8b)",
            "ServiceSchedulerInitiated");

        Assert.Equal(Category.HealthElb, result.Category);
        Assert.True(result.Actionable);
        Assert.Equal("arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/web/1a2b3c4d5e6f7a8b", result.Evidence.TargetGroupArn);
        Assert.Contains(FixId.RaiseHealthCheckGrace, result.Fixes);
    }

    [Fact]
    public void Classify_WhenStopCodeIsServiceSchedulerWithScaleIn_ShouldBeBenignAndQuiet()
    {
        var result = Classifier.Classify("Scaling activity initiated by (deployment ecs-svc/9876543210987654321)", "ServiceSchedulerInitiated");

        Assert.Equal(Category.BenignScaling, result.Category);
        Assert.False(result.Actionable);
        Assert.Empty(result.Fixes);
    }

    [Fact]
    public void Classify_WhenRegistryAuthTimesOut_ShouldBeNetworkNotPermission()
    {
        const string prefix = "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve ecr registry auth: service call has been retried 3 time(s): ";

        Assert.Equal(Category.ImagePullNetwork, Classifier.Classify(prefix + "RequestError: send request failed caused by: Post \"https://api.ecr.us-east-1.amazonaws.com/\": dial tcp 52.46.1.1:443: i/o timeout").Category);
        Assert.Equal(Category.ImagePullPermission, Classifier.Classify(prefix + "AccessDeniedException: User: arn:aws:sts::1:assumed-role/r/s is not authorized to perform: ecr:GetAuthorizationToken").Category);
    }

    [Fact]
    public void Classify_WhenSecretArnIsInTheMessage_ShouldReportItAsEvidence()
    {
        var result = Classifier.Classify("ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secrets from ssm: service call has been retried 1 time(s): AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/exec/1 is not authorized to perform: ssm:GetParameters on resource: arn:aws:ssm:eu-west-1:123456789012:parameter/app/db because no identity-based policy allows it");

        Assert.Equal(Category.SecretsPermission, result.Category);
        Assert.Equal(["arn:aws:ssm:eu-west-1:123456789012:parameter/app/db"], result.Evidence.SecretArns);
    }

    [Fact]
    public void Classify_WhenEfsIdIsInTheMessage_ShouldReportIt()
    {
        var result = Classifier.Classify("ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes: stderr: Failed to resolve \"fs-0123456789abcdef0.efs.eu-west-1.amazonaws.com\"");

        Assert.Equal("fs-0123456789abcdef0", result.Evidence.FileSystemId);
    }

    [Fact]
    public void Classify_WhenHttpStatusIsInTheMessage_ShouldReportIt()
    {
        var result = Classifier.Classify("CannotPullContainerError: API error (500): Get https://registry-1.docker.io/v2/: net/http: request canceled while waiting for connection");

        Assert.Equal(500, result.Evidence.HttpStatus);
        Assert.Equal("registry-1.docker.io", result.Evidence.EndpointHost);
    }

    [Fact]
    public void Classify_WhenTheCutTailHidesTheKind_ShouldStillNameTheStepWithLowerConfidence()
    {
        var full = Classifier.Classify("CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref 1.dkr.ecr.us-east-1.amazonaws.com/a:1: failed to do request: Head \"https://1.dkr.ecr.us-east-1.amazonaws.com/v2/a/manifests/1\": dial tcp 1.2.3.4:443: i/o timeout");
        var cut = Classifier.Classify("CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref 1.dkr.ecr.us-east-1.amazonaws.com/a:1");

        Assert.Equal(Category.ImagePullNetwork, cut.Category);
        Assert.True(cut.Confidence < full.Confidence);
    }
}
