namespace EcsTimeoutRemediator.Classification;

/// <summary>
/// What a stop message means, independent of its exact wording: which start-up step it names and what kind of
/// failure it reports. Messages differ by agent and platform version, nest "caused by:" chains and are cut at
/// 255 characters, so each signal is a set of short, meaning-bearing markers rather than one sentence.
/// </summary>
[Flags]
public enum Signal : ulong
{
    None = 0,

    // The start-up step the message is about.
    Pull = 1ul << 0,
    RegistryAuth = 1ul << 1,
    Secrets = 1ul << 2,
    Logs = 1ul << 3,
    Efs = 1ul << 4,
    Eni = 1ul << 5,

    // The kind of failure.
    Network = 1ul << 6,
    Permission = 1ul << 7,
    NotFound = 1ul << 8,
    RateLimit = 1ul << 9,

    // Specific outcomes.
    Platform = 1ul << 10,
    ElbHealth = 1ul << 11,
    ContainerHealth = 1ul << 12,
    Oom = 1ul << 13,
    StartFailure = 1ul << 14,
    EssentialExit = 1ul << 15,
    ResourceInit = 1ul << 16,

    // Benign stops.
    Spot = 1ul << 17,
    Maintenance = 1ul << 18,
    UserStop = 1ul << 19,
    Scaling = 1ul << 20,

    // An explicit IAM denial outranks a registry's generic "does not exist or may require login".
    ExplicitDenial = 1ul << 21,

    // "There is a connection issue" and a killed (timed-out) helper outrank a "cannot find" in the same sentence.
    ExplicitNetwork = 1ul << 22,

    // A reference that is malformed rather than missing.
    Invalid = 1ul << 23,

    // The host ran out of disk or ephemeral storage.
    Exhausted = 1ul << 24,

    // A registry answered with an HTTP status the message no longer shows (cut at 255 characters).
    UnexpectedStatus = 1ul << 25,

    // The agent failed to stop a container (not a start-up failure).
    StopFailure = 1ul << 26,

    // Environment files (environmentFiles in S3) could not be downloaded.
    EnvFiles = 1ul << 27,

    // The image was downloaded but could not be unpacked or stored: layers, snapshotter, storage driver.
    Unpack = 1ul << 28,

    // ECS could not place the task: no container instance or capacity met its requirements.
    Placement = 1ul << 29,

    // A word that names a failure ("failed", "error", "unable", "cannot", "exception", …): it rules out a benign stop.
    FailureWord = 1ul << 30,

    // A configuration value of the task definition is wrong (an unknown or missing log driver option).
    Misconfigured = 1ul << 31,

    // A deployment circuit breaker stopped the task because the deployment's tasks failed to start.
    CircuitBreaker = 1ul << 32,

    // The host does not trust the registry's certificate, or the registry answered HTTPS with plain HTTP:
    // the network reached the registry, so the network path is not the cause.
    RegistryTrust = 1ul << 33,

    // The ECS agent's dependency graph: one container's ordering dependency on another was not met. The
    // containers it names carry their images, whose registry hosts say nothing about a pull.
    DependencyGraph = 1ul << 34,

    // A service event reports that the service could not place or start a task; the reason it wraps decides.
    ServiceEvent = 1ul << 35,

    // efs-utils found no free local port for the TLS tunnel of a mount on the host.
    TunnelPorts = 1ul << 36,

    // A Docker volume plugin failed to create or mount a volume.
    VolumePlugin = 1ul << 37,

    // "unable to pull secrets or registry auth": the execution-role step of Fargate, named without saying which of the two.
    SecretsOrRegistryAuth = 1ul << 38,

    // An AWS service answered with a not-found exception: the network reached it, whatever else the message says.
    ExplicitNotFound = 1ul << 39,

    // A registry's token step failed without saying why ("failed to authorize"): credentials, unless a network fault is named.
    AuthFailed = 1ul << 40,

    // The agent could not talk to the container runtime on its own host (the Docker daemon or its named pipe).
    HostDaemon = 1ul << 41,

    // The load balancer could not take the task as a target (the target group is gone or in another VPC): no health check ran.
    TargetRegistration = 1ul << 42,

    // ECS replaced a task "due to an unhealthy status" without saying whether the load balancer or the container check failed.
    UnnamedHealthCheck = 1ul << 43,

    /// <summary>The signals that prove a stop harmless.</summary>
    BenignMarkers = Spot | Maintenance | UserStop | Scaling,

    /// <summary>Every signal that names a failure: any of them rules out a benign stop.</summary>
    FailureMarkers = ~BenignMarkers,
}

/// <summary>Finds the <see cref="Signal"/>s in a text with one vectorised multi-string search per signal.</summary>
public static class SignalScanner
{
    private static readonly (Signal Signal, string[] Markers)[] Table =
    [
        (Signal.Pull, Markers(
            "cannotpullcontainer", "pull image", "pulling image", "image pull", "pull access denied", "pullimage",
            "error pulling", "failed to pull", "dkr.ecr", "docker login", "failed to resolve ref", "failed to resolve reference",
            "image manifest", "manifest for", "manifest unknown", "registry-1.docker.io", "index.docker.io", "docker.io/",
            "ghcr.io", "quay.io", "gcr.io", "public.ecr.aws", "/v2/", "failed to copy:", "httpreaderseeker", "anonymous token",
            "getauthorizationtoken", "batchgetimage", "getdownloadurlforlayer", "repository does not exist",
            "no basic auth credentials", "toomanyrequests", "pull rate limit", "failed to fetch oauth token", "pull command failed", "cannotpullecrcontainer", "pull the image",
            "pull registry auth", "amazon ecr", "pullbegin", "manifest_pulled", "descriptor for platform",
            "api.ecr.", "ecr-fips.", "dkr-ecr.", "://ecr.", "operation error ecr", "registry.gitlab.com", "jfrog.io", "artifactory", "registry endpoint")),
        (Signal.RegistryAuth, Markers("ecr registry auth", "private registry auth", "registry authentication", "registry credentials", "repositorycredentials", "ecr auth")),
        (Signal.Secrets, Markers(
            "retrieve secret", "secrets from ssm", "secret from asm", "secrets from asm", "secretsmanager", "secrets manager",
            "getsecretvalue", "ssm parameter", "getparameters", "getparameter", "asm fetching", "fetch secret", ":secret:",
            ":parameter/", "parameter store", "invalid parameters", "invalidparameters", "parameternotfound",
            "ssm:", "ssm.", "ssmsecret", "asmsecret", "secret arn", "secretid", "asm secret", "ssm secret", "secret resource",
            "asm resource", "json key")),
        (Signal.Logs, Markers(
            "logging driver", "log driver", "awslogs", "log stream", "log group", "logs.", "cloudwatch log", "cloudwatchlogs",
            "createlogstream", "putlogevents", "createloggroup", "logger args", "logger:", "log-driver", "firelens", "logs:")),
        (Signal.Efs, Markers(
            "efs", "mount.nfs", "nfs4", "nfs:", " nfs ", "fs-0", "fs-1", "fs-2", "fs-3", "fs-4", "fs-5", "fs-6", "fs-7", "fs-8", "fs-9",
            "fs-a", "fs-b", "fs-c", "fs-d", "fs-e", "fs-f", "fsap-", "elasticfilesystem", "mount target", "file system id",
            "amazon-ecs-volume-plugin")),
        (Signal.Eni, Markers(
            "setup network namespace", "set up network namespace", "network namespace setup", "network namespace for", "cni setup", "eni plugin", "cni plugin", "vpc-branch-eni", "network interface provisioning", "network interface", "task network namespace", "cni configuration", "eni attachment", "attach eni", "eni provisioning",
            "eni attach", "branch eni", "trunk eni", "setup netns", "set up netns", "~internal~ecs~pause", "networkinterface", "eni limit", "enis", "eni:", "eni ")),
        (Signal.Network, Markers(
            "timeout", "timed out", "time out", "deadline exceeded", "dial tcp", "dial udp", "connection refused",
            "connection reset", "no such host", "request canceled", "requestcanceled", "client.timeout", "tls handshake",
            "network is unreachable", "no route to host", "send request failed", "requesterror", "unable to connect",
            "could not connect", "failed to connect", "name resolution", "context canceled", "i/o timeout", "broken pipe",
            "failed to resolve \"", "connection closed", "unexpected eof", "lookup ", "net/http", "failed to do request",
            "servfail", "unreachable", "signal: killed", "dial unix", ": eof")),
        (Signal.Permission, Markers(
            "accessdenied", "access denied", "not authorized", "unauthorized", "forbidden", "no basic auth credentials",
            "requested access to the resource is denied", "authorization token has expired", "expiredtoken",
            "is not authorized to perform", "kms:decrypt", "kms.", "kmsaccessdenied", "unrecognizedclient",
            "invalidsignature", "signaturedoesnotmatch", "denied:", "authorization failed", "authentication required",
            "status code: 403", "status code: 401", "statuscode: 403", "statuscode: 401", "401 ", "403 ",
            "not permitted", "permission to", "explicit deny", "no identity-based policy", "invalid security token",
            "api error (401)", "api error (403)", "statuscode: 403", "statuscode: 401", "decryptionfailure", "can't decrypt",
            "cannot decrypt", "unable to decrypt")),
        (Signal.NotFound, Markers(
            "not found", "notfound", "does not exist", "doesn't exist", "manifest unknown", "name unknown", "no such image",
            "resourcenotfound", "parameternotfound", "invalid parameters", "invalidparameters", "can't find", "cannot find",
            "could not find", "couldn't find", "unknown blob", "repositorynotfound", "imagenotfound", "unknown manifest",
            "no such file or directory: 'fs-", "secret not found", "secret has been deleted", "marked for deletion", "did not contain json key",
            "json key", "no such version", "version id", "versionstage", "invalid ssm parameter",
            "api error (404)", "status code: 404", "statuscode: 404", "404 not found", "deleted or has expired", "tag expired",
            "blob unknown", "empty secret", "repo digest matching")),
        (Signal.ExplicitDenial, Markers(
            "is not authorized to perform", "accessdeniedexception", "no identity-based policy", "explicit deny",
            "no basic auth credentials", "not authorized to perform", "authorization token has expired",
            "credentialsendpointerror", "failed to load credentials", "nocredentialproviders", "unable to load credentials",
            "unable to find execution role credentials", "execution role credentials", "aws security credentials",
            "secret access key are not found", "execution role credentials not available", "credentials: not found",
            "credentials are empty", "ecr auth data", "has the permissions to pull images")),
        (Signal.ExplicitNetwork, Markers("connection issue", "signal: killed", "check your network configuration")),
        (Signal.ExplicitNotFound, Markers(
            "resourcenotfoundexception", "parameternotfound", "repositorynotfoundexception", "imagenotfoundexception",
            "the specified log group does not exist", "secrets manager can't find", "check whether the image exists")),
        (Signal.AuthFailed, Markers(
            "failed to authorize", "failed to fetch anonymous token", "failed to fetch oauth token",
            "getauthorizationtoken, https response error statuscode: 4")),
        (Signal.TargetRegistration, Markers(
            "failed to register targets", "failed to deregister targets", "target group is not found",
            "targets are not in the target group vpc", "targetgroupnotfound")),
        (Signal.UnnamedHealthCheck, Markers("due to an unhealthy status")),
        (Signal.HostDaemon, Markers(
            "docker client must be run with elevated privileges", "cannot connect to the docker daemon",
            "is the docker daemon running", "docker daemon is not running", "docker_engine: the system cannot find the file")),
        (Signal.Invalid, Markers(
            "invalid reference format", "invalid arn", "validationexception", "invalid name", "must be a valid",
            "malformed", "no such file or directory", "unable to unmarshal", "invalid schema", "invalid json",
            "validation error(s) found", "invalidparameter", "failed to normalize", "invalid character '", "unexpected end of json input")),
        (Signal.Exhausted, Markers("no space left on device", "disk quota", "ephemeralstorage", "ephemeral storage", "out of disk")),
        (Signal.UnexpectedStatus, Markers(
            "unexpected status code", "unexpected status from", "unexpected http status", "internal server error", "bad gateway",
            "service unavailable")),
        (Signal.EnvFiles, Markers("env file", "environment files", "environmentfiles", "envfile")),
        (Signal.Unpack, Markers(
            "unpack image", "failed to unpack", "unpacking", "snapshotter", "register layer", "applylayer", "extract layer",
            "extracting", "processing tar", "untar", "devmapper", "devicemapper", "thin pool", "storage driver",
            "unsupported media type", "rootfs and manifest layers", "whiteout", "extraction snapshot", "content store",
            "getimageblob", "overlay2", "layer does not exist", "layer verification failed", "verification failed for digest",
            "size validation", "unexpected commit digest", "failed commit on ref", "schema 1", "schema1", "image format v1",
            "manifest.v1", "deprecated-image-specs", "max depth exceeded", "overlay mount", "failed to mount overlay")),
        (Signal.Placement, Markers(
            "above your limit", "no container instance met", "closest matching container-instance", "closest matching container instance",
            "resource:cpu", "resource:memory", "resource:eni", "resource:ports", "resource:gpu", "resource:fargate",
            "empty capacity provider", "no container instances were found", "insufficient memory", "insufficient cpu",
            "insufficient capacity", "insufficientinstancecapacity", "capacity is unavailable", "already using a port",
            "missing an attribute", "reached the limit", "placement constraint", "no capacity",
            "launch instance(s) for capacity provider", "launch instances for capacity provider", "no active instances",
            "provisioning capacity limit", "place a task in availability zone", "waiting for amazon ecs agent to start")),
        (Signal.ServiceEvent, Markers("unable to place", "unable to consistently start tasks")),
        (Signal.SecretsOrRegistryAuth, Markers("pull secrets or registry auth")),
        (Signal.FailureWord, Markers(
            "fail", "error", "unable", "cannot", "can't", "could not", "couldn't", "exception", "denied", "refused",
            "invalid", "insufficient", "exceeded", "not found", "unhealthy", "panic", "no such", "crash", "broken",
            "high cpu", "high memory", "memory leak", "not responding", "unresponsive", "rolling back", "rolled back",
            "rollback")),
        (Signal.CircuitBreaker, Markers("circuit breaker", "circuitbreaker")),
        (Signal.Misconfigured, Markers(
            "log opt", "unknown log driver", "logging driver is not supported", "must specify a value for", "is required",
            "driver arguments", "failed to satisfy constraint", "validation error detected", "invalid log stream",
            "efs-utils configuration", "error retrieving region", "log config")),
        (Signal.RegistryTrust, Markers(
            "x509:", "certificate signed by unknown authority", "server gave http response to https client",
            "certificate is valid for", "certificate has expired or is not yet valid", "tls: failed to verify certificate",
            "certificate verify failed", "certificate is not trusted")),
        (Signal.DependencyGraph, Markers("dependency graph:", "ordering dependency")),
        (Signal.TunnelPorts, Markers("available port in the range", "different port range")),
        (Signal.VolumePlugin, Markers("volumedriver.", "volume plugin", "volume driver")),
        (Signal.StopFailure, Markers(
            "cannotstopcontainer", "failed sending sigterm", "failed to stop container", "taskstateerror",
            "could not progress task's state to stopped")),
        (Signal.RateLimit, Markers(
            "toomanyrequests", "too many requests", "rate limit", "ratelimit", "rate exceeded", "throttl", "429 ", "api error (429)",
            "status code: 429", "request limit exceeded", "requestlimitexceeded")),
        (Signal.Platform, Markers(
            "descriptor matching platform", "no matching manifest", "does not match the specified platform",
            "does not match the detected host platform", "image platform", "exec format error", "manifest list entries",
            "platform (linux/", "platform linux/", "descriptor for platform", "no match for platform", "is incompatible with",
            "cannot be used on this platform", "image operating system", "unsupported platform", "wrong architecture", "cpu architecture",
            "operating system of the container", "container operating system does not match", "does not match the host operating system")),
        (Signal.ElbHealth, Markers(
            "elb health check", "failed elb", "target-group", "targetgroup", "health checks in (elb", "load balancer health",
            "elastic load balanc", "(elb ", "elb health", "health checks failed with these codes",
            "target.responsecodemismatch", "target.failedhealthchecks")),
        (Signal.ContainerHealth, Markers(
            "container health check", "failed container health", "healthcheck", "health check failed", "unhealthy",
            "failed health check", "health check failure")),
        (Signal.Oom, Markers(
            "outofmemory", "out of memory", "oomkilled", "oom-kill", "oom kill", "oom_kill", "killed due to memory",
            "memory limit", "oom-killer", "oomerror", "out-of-memory")),
        (Signal.StartFailure, Markers(
            "cannotstartcontainer", "cannotcreatecontainer", "cannotinspectcontainer", "containerruntimeerror",
            "containerruntimetimeouterror", "oci runtime", "failed to create shim", "executable file not found",
            "starting container process caused", "failed to start container", "failed to create container",
            "dockertimeouterror", "could not transition to started", "no such file or directory",
            "container init", "runc create failed", "error during container init", "cannotstartcontainererror",
            "hostconfigerror", "hcsshim::createcomputesystem", "hcs::system::create", "failure in a windows system call",
            "encountered an error during start", "encountered an error during createcontainer", "compute system exited")),
        (Signal.EssentialExit, Markers(
            "essential container in task exited", "essential container exited", "essentialcontainerexited",
            "dependency did not exit successfully")),
        (Signal.ResourceInit, Markers("resourceinitializationerror", "resource initialization", "failed to initialize", "unable to pull secrets or registry auth")),
        (Signal.Spot, Markers("spot task", "spot interruption", "spotinterruption", "spot instance", "spot capacity", "fargate_spot", "spot was interrupted")),
        (Signal.Maintenance, Markers(
            "retire", "maintenance", "underlying infrastructure", "host ec2", "underlying host", "scheduled event",
            "terminationnotice", "instance was terminated", "instance was stopped", "instance terminated", "instance stopped",
            "container instance", "instance is draining", "instance draining", "draining state", "host is being", "hardware", "patching", "degraded")),
        (Signal.UserStop, Markers(
            "stopped by user", "user initiated", "userinitiated", "stoptask", "stop-task", "task stopped by user",
            "forced by user", "manually stopped", "stopped manually", "by the user")),
        (Signal.Scaling, Markers(
            "scaling activity", "scale-in", "scale in", "scaled in", "scale down", "scaled down", "scale-down",
            "desired count", "ecs-svc/", "deployment", "replaced by", "service scheduler", "autoscaling", "auto scaling",
            "capacity provider", "task set", "taskset", "draining connections", "az rebalanc", "zone rebalanc", "running tasks:",
            "pending tasks")),
    ];

    private static string[] Markers(params string[] values) => values;

    // Every marker in one vectorised multi-string search; markers bucketed by their first character to tell,
    // at each hit, which markers (and so which signals) start there.
    private static readonly (string Marker, Signal Signal)[] AllMarkers =
        [.. Table.SelectMany(t => t.Markers.Select(m => (m.ToLowerInvariant(), t.Signal)))];

    private static readonly MarkerAutomaton Automaton = new(AllMarkers);

    /// <summary>
    /// The signals whose markers occur in <paramref name="text"/>, case-insensitively, once the names a user chose are
    /// masked (<see cref="NameMask"/>): a name never decides the category. A failure marker that only the masked names
    /// held still counts as a failure word, so a name can keep a stop from being silenced but never silence one.
    /// </summary>
    public static Signal Scan(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return Signal.None;
        }

        if (IsPlacementFailureReason(text))
        {
            return Signal.Placement | Signal.FailureWord;
        }

        var masked = NameMask.Apply(text);
        var found = Automaton.Scan(masked);
        if (!ReferenceEquals(masked, text) && (found & Signal.FailureMarkers) == 0 && (Automaton.Scan(text) & Signal.FailureMarkers) != 0)
        {
            found |= Signal.FailureWord;
        }

        return Refine(found);
    }

    /// <summary>
    /// The failure reasons RunTask and StartTask report when ECS cannot place a task (the container instance's agent
    /// is disconnected, or no instance has a required attribute), quoted alone as a stop reason or after the stop
    /// code. Only the whole text counts: the words occur everywhere else.
    /// </summary>
    private static bool IsPlacementFailureReason(string text)
    {
        // The stop code is sometimes written in front of it: "TaskFailedToStart: AGENT".
        var reason = text.AsSpan().Trim();
        const string Prefix = "TaskFailedToStart:";
        if (reason.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            reason = reason[Prefix.Length..].Trim();
        }

        return reason is "AGENT" or "ATTRIBUTE" or "LOCATION" or "INACTIVE";
    }

    /// <summary>
    /// The agent's dependency graph names a dependency and its target with their images and states: the registry
    /// hosts and "timed out" in them say nothing about a pull or the network. What the dependency did decides: it
    /// exited unsuccessfully (an essential exit), it timed out before reaching its condition (most often HEALTHY),
    /// or it will never start (the dependency's own reason names why; otherwise the start failed).
    /// </summary>
    private static Signal Refine(Signal found)
    {
        if ((found & Signal.DependencyGraph) == 0)
        {
            return found;
        }

        var outcome = found & (Signal.EssentialExit | Signal.Oom | Signal.ContainerHealth);
        if (outcome == Signal.None && (found & Signal.Network) != 0)
        {
            outcome = Signal.ContainerHealth;
        }

        return Signal.DependencyGraph | Signal.FailureWord | (outcome != Signal.None ? outcome : Signal.StartFailure);
    }

    /// <summary>Maps the ECS stop code onto the same signals.</summary>
    public static Signal FromStopCode(string? stopCode) => stopCode switch
    {
        null or "" => Signal.None,
        _ when Is(stopCode, "SpotInterruption") => Signal.Spot,
        _ when Is(stopCode, "TerminationNotice") => Signal.Maintenance,
        _ when Is(stopCode, "UserInitiated") => Signal.UserStop,
        _ when Is(stopCode, "EssentialContainerExited") => Signal.EssentialExit,
        // The task never started: whatever the message says, this stop is not benign.
        _ when Is(stopCode, "TaskFailedToStart") => Signal.FailureWord,
        _ => Signal.None,
    };

    private static bool Is(string value, string code) => string.Equals(value, code, StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// An Aho-Corasick automaton over every marker, compiled to a dense transition table on the markers' own
/// alphabet: one table step per character of the message, whatever the number of markers.
/// </summary>
internal sealed class MarkerAutomaton
{
    private readonly byte[] _classOf = new byte[128];
    private readonly int _classes;
    private readonly ushort[] _next;
    private readonly Signal[] _output;

    public MarkerAutomaton(IReadOnlyList<(string Marker, Signal Signal)> markers)
    {
        ArgumentNullException.ThrowIfNull(markers);
        var alphabet = markers.SelectMany(m => m.Marker).Distinct().Order().ToArray();
        if (alphabet.Any(c => c >= 128) || alphabet.Length > 254)
        {
            throw new ArgumentException("markers must be ASCII", nameof(markers));
        }

        for (var i = 0; i < alphabet.Length; i++)
        {
            _classOf[alphabet[i]] = (byte)(i + 1);
        }

        _classes = alphabet.Length + 1;

        // The trie.
        var children = new List<int[]> { NewRow() };
        var output = new List<Signal> { Signal.None };
        foreach (var (marker, signal) in markers)
        {
            var state = 0;
            foreach (var c in marker)
            {
                var cls = _classOf[c];
                if (children[state][cls] < 0)
                {
                    children[state][cls] = children.Count;
                    children.Add(NewRow());
                    output.Add(Signal.None);
                }

                state = children[state][cls];
            }

            output[state] |= signal;
        }

        if (children.Count > ushort.MaxValue)
        {
            throw new ArgumentException("too many markers", nameof(markers));
        }

        // Breadth-first: failure links, inherited outputs, and the full transition table.
        _next = new ushort[children.Count * _classes];
        _output = new Signal[children.Count];
        var fail = new int[children.Count];
        var queue = new Queue<int>();
        for (var cls = 0; cls < _classes; cls++)
        {
            var child = children[0][cls];
            if (child > 0)
            {
                fail[child] = 0;
                queue.Enqueue(child);
                _next[cls] = (ushort)child;
            }
        }

        _output[0] = output[0];
        while (queue.Count > 0)
        {
            var state = queue.Dequeue();
            _output[state] = output[state] | _output[fail[state]];
            for (var cls = 0; cls < _classes; cls++)
            {
                var child = children[state][cls];
                if (child > 0)
                {
                    fail[child] = _next[(fail[state] * _classes) + cls];
                    queue.Enqueue(child);
                    _next[(state * _classes) + cls] = (ushort)child;
                }
                else
                {
                    _next[(state * _classes) + cls] = _next[(fail[state] * _classes) + cls];
                }
            }
        }

        int[] NewRow()
        {
            var row = new int[_classes];
            Array.Fill(row, -1);
            return row;
        }
    }

    public Signal Scan(ReadOnlySpan<char> text)
    {
        var found = Signal.None;
        var state = 0;
        var next = _next.AsSpan();
        var classOf = _classOf.AsSpan();
        foreach (var ch in text)
        {
            var c = ch switch
            {
                >= 'A' and <= 'Z' => (char)(ch | 0x20),
                // Typographic quotes and no-break spaces, as in the agent's "The task can’t pull the image".
                '\u2018' or '\u2019' or '\u02BC' => '\'',
                '\u201C' or '\u201D' => '"',
                '\u00A0' or '\u202F' => ' ',
                _ => ch,
            };
            var cls = c < 128 ? classOf[c] : 0;
            state = next[(state * _classes) + cls];
            found |= _output[state];
        }

        return found;
    }
}
