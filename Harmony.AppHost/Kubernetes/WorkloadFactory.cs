using System.Globalization;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Harmony.AppHost.Kubernetes;

/// <summary>
/// Builds the Kubernetes objects for one compute resource of the app model: a Deployment (or a Job), its Service, a
/// ConfigMap with its literal settings, ConfigMaps for the files a container is given, its autoscaler and its
/// disruption budget.
/// </summary>
internal sealed class WorkloadFactory(
    KubernetesPublishSettings settings,
    ManifestValueResolver values,
    DistributedApplicationExecutionContext executionContext,
    ILogger logger)
{
    /// <summary>The Secret the platform team creates; every secret parameter is one of its keys.</summary>
    public const string SecretName = "harmony-secrets";

    /// <summary>The ConfigMap holding the managed services' addresses: the parameters of the published output.</summary>
    public const string InfrastructureConfigMapName = "harmony-infrastructure";

    public const string PartOf = "harmony";

    // Harmony's services are built on Harmony.ServiceDefaults, which serves these two endpoints.
    public const string ReadinessPath = "/health";
    public const string LivenessPath = "/alive";

    // The non-root user of the .NET SDK's base images (APP_UID in mcr.microsoft.com/dotnet/aspnet).
    private const long DotNetAppUser = 1654;

    public async Task<KubernetesWorkload> CreateAsync(IResource resource, CancellationToken cancellationToken)
    {
        var name = resource.Name;
        var labels = Labels(name);
        var objects = new List<(string, IKubernetesObject)>();
        var secretKeys = new SortedSet<string>(StringComparer.Ordinal);
        var infrastructure = new SortedDictionary<string, string>(StringComparer.Ordinal);

        var container = new V1Container
        {
            Name = name,
            Image = ImageOf(resource),
            Env = [],
        };

        if (resource is ContainerResource { Entrypoint: { Length: > 0 } entrypoint })
        {
            container.Command = [entrypoint];
        }

        var args = await ArgumentsAsync(resource, cancellationToken).ConfigureAwait(false);
        if (args.Count > 0)
        {
            container.Args = args;
        }

        var literals = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (variable, raw) in await EnvironmentAsync(resource, cancellationToken).ConfigureAwait(false))
        {
            switch (await values.ResolveAsync(raw, cancellationToken).ConfigureAwait(false))
            {
                case ManifestValue.Literal literal:
                    literals[variable] = literal.Value;
                    break;
                case ManifestValue.SecretKey secret:
                    secretKeys.Add(secret.Key);
                    container.Env.Add(new V1EnvVar
                    {
                        Name = variable,
                        ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = SecretName, Key = secret.Key } },
                    });
                    break;
                case ManifestValue.InfrastructureKey address:
                    infrastructure[address.Key] = address.Address;
                    container.Env.Add(new V1EnvVar
                    {
                        Name = variable,
                        ValueFrom = new V1EnvVarSource
                        {
                            ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = InfrastructureConfigMapName, Key = address.Key },
                        },
                    });
                    break;
            }
        }

        if (resource is ProjectResource)
        {
            // Aspire names a service to OpenTelemetry only when it runs it; where the platform points the services at
            // its collector (OTEL_EXPORTER_OTLP_ENDPOINT), their telemetry carries the same names as locally.
            literals.TryAdd("OTEL_SERVICE_NAME", name);
        }

        var configName = $"{name}-config";
        objects.Add(($"{name}/configmap.yaml", new V1ConfigMap
        {
            ApiVersion = "v1",
            Kind = "ConfigMap",
            Metadata = Metadata(configName, labels),
            Data = literals,
        }));
        container.EnvFrom = [new V1EnvFromSource { ConfigMapRef = new V1ConfigMapEnvSource { Name = configName } }];
        if (container.Env.Count == 0)
        {
            container.Env = null;
        }

        var endpoints = resource.Annotations.OfType<EndpointAnnotation>().ToList();
        if (endpoints.Count > 0)
        {
            container.Ports = [.. endpoints.Select(e => new V1ContainerPort { Name = PortName(e), ContainerPort = ManifestValueResolver.TargetPort(e), Protocol = "TCP" })];
        }

        var pod = new V1PodSpec { Containers = [container], Volumes = [] };
        container.VolumeMounts = [];
        AddMounts(resource, pod, container, labels, objects);

        if (resource is ProjectResource)
        {
            HardenService(pod, container, endpoints);
        }

        if (pod.Volumes.Count == 0)
        {
            pod.Volumes = null;
            container.VolumeMounts = null;
        }

        var template = new V1PodTemplateSpec { Metadata = new V1ObjectMeta { Labels = labels }, Spec = pod };
        if (resource.HasAnnotationOfType<KubernetesJobAnnotation>())
        {
            pod.RestartPolicy = "OnFailure";
            objects.Add(($"{name}/job.yaml", new V1Job
            {
                ApiVersion = "batch/v1",
                Kind = "Job",
                Metadata = Metadata(name, labels),
                Spec = new V1JobSpec
                {
                    Template = template,
                    BackoffLimit = 10,

                    // A Job's pod template cannot change once created, so a later `kubectl apply` of a changed output
                    // would fail; a finished Job is removed instead, and the next apply runs it again (the one-shot
                    // containers we publish this way are idempotent).
                    TtlSecondsAfterFinished = 300,
                },
            }));
        }
        else
        {
            var deployment = new V1Deployment
            {
                ApiVersion = "apps/v1",
                Kind = "Deployment",
                Metadata = Metadata(name, labels),
                Spec = new V1DeploymentSpec
                {
                    Selector = new V1LabelSelector { MatchLabels = Selector(name) },
                    Template = template,

                    // KEDA's HPA owns the replica count of an autoscaled Deployment; a count here would reset it to
                    // this number on every `kubectl apply`.
                    Replicas = resource.HasAnnotationOfType<TaskQueueAutoscalingAnnotation>()
                        ? null
                        : resource.GetReplicaCount(),
                    RevisionHistoryLimit = 5,
                },
            };
            foreach (var annotation in resource.Annotations.OfType<KubernetesDeploymentAnnotation>())
            {
                annotation.Configure(deployment);
            }

            objects.Add(($"{name}/deployment.yaml", deployment));

            if (resource.TryGetLastAnnotation<KubernetesDisruptionBudgetAnnotation>(out var budget))
            {
                objects.Add(($"{name}/poddisruptionbudget.yaml", DisruptionBudget(name, labels, budget)));
            }
        }

        if (endpoints.Count > 0)
        {
            objects.Add(($"{name}/service.yaml", new V1Service
            {
                ApiVersion = "v1",
                Kind = "Service",
                Metadata = Metadata(name, labels),
                Spec = new V1ServiceSpec
                {
                    Type = "ClusterIP",
                    Selector = Selector(name),
                    Ports =
                    [
                        .. endpoints.Select(e => new V1ServicePort
                        {
                            Name = PortName(e),
                            Port = ManifestValueResolver.TargetPort(e),
                            Protocol = "TCP",
                            TargetPort = PortName(e),
                        }),
                    ],
                },
            }));
        }

        if (resource.TryGetLastAnnotation<TaskQueueAutoscalingAnnotation>(out var autoscaling))
        {
            objects.Add(($"{name}/scaledobject.yaml", ScaledObject(name, labels, autoscaling)));
        }

        return new KubernetesWorkload(objects) { SecretKeys = secretKeys, Infrastructure = infrastructure };
    }

    public static Dictionary<string, string> Labels(string name) => new(StringComparer.Ordinal)
    {
        ["app.kubernetes.io/name"] = name,
        ["app.kubernetes.io/part-of"] = PartOf,
        ["app.kubernetes.io/managed-by"] = "harmony-apphost",
    };

    public V1ObjectMeta Metadata(string name, IDictionary<string, string> labels) =>
        new() { Name = name, NamespaceProperty = settings.Namespace, Labels = new Dictionary<string, string>(labels) };

    private static Dictionary<string, string> Selector(string name) => new(StringComparer.Ordinal)
    {
        ["app.kubernetes.io/name"] = name,
        ["app.kubernetes.io/part-of"] = PartOf,
    };

    private string ImageOf(IResource resource)
    {
        if (resource is ProjectResource project)
        {
            // The repository `dotnet publish /t:PublishContainer` gives a project by default: its name, lower-cased,
            // dots as dashes.
            var repository = Path.GetFileNameWithoutExtension(project.GetProjectMetadata().ProjectPath)
                .ToLowerInvariant().Replace('.', '-');
            return settings.ImageFor(repository);
        }

        return resource.TryGetContainerImageName(out var image)
            ? image
            : throw new InvalidOperationException($"Resource '{resource.Name}' has no container image to publish.");
    }

    // Port names are IANA service names: at most 15 characters, lower case.
    private static string PortName(EndpointAnnotation endpoint) =>
        endpoint.Name.Length <= 15 ? endpoint.Name.ToLowerInvariant() : endpoint.Name[..15].ToLowerInvariant();

    private async Task<IReadOnlyList<KeyValuePair<string, object>>> EnvironmentAsync(
        IResource resource, CancellationToken cancellationToken)
    {
        var environment = new Dictionary<string, object>(StringComparer.Ordinal);
        var context = new EnvironmentCallbackContext(executionContext, resource, environment, cancellationToken);
        foreach (var callback in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await callback.Callback(context).ConfigureAwait(false);
        }

        return [.. environment];
    }

    private async Task<List<string>> ArgumentsAsync(IResource resource, CancellationToken cancellationToken)
    {
        var raw = new List<object>();
        var context = new CommandLineArgsCallbackContext(raw, resource, cancellationToken) { ExecutionContext = executionContext };
        foreach (var callback in resource.Annotations.OfType<CommandLineArgsCallbackAnnotation>())
        {
            await callback.Callback(context).ConfigureAwait(false);
        }

        var args = new List<string>();
        foreach (var arg in raw)
        {
            args.Add(await values.ResolveAsync(arg, cancellationToken).ConfigureAwait(false) is ManifestValue.Literal literal
                ? literal.Value
                : throw new InvalidOperationException(
                    $"Resource '{resource.Name}' has a secret or a managed address in its arguments, which a manifest cannot hold."));
        }

        return args;
    }

    /// <summary>
    /// Named volumes become emptyDir (dev copies keep nothing across restarts); files given to a container travel as a
    /// ConfigMap of their own, since a manifest cannot mount a directory of the publishing machine.
    /// </summary>
    private void AddMounts(
        IResource resource,
        V1PodSpec pod,
        V1Container container,
        IDictionary<string, string> labels,
        List<(string, IKubernetesObject)> objects)
    {
        if (!resource.TryGetContainerMounts(out var mounts))
        {
            return;
        }

        var index = 0;
        foreach (var mount in mounts)
        {
            var volumeName = $"{(mount.Type == ContainerMountType.Volume ? "data" : "files")}-{index++}";
            if (mount.Type == ContainerMountType.Volume)
            {
                logger.LogWarning(
                    "{Resource}: the volume at {Target} is published as emptyDir; an in-cluster dev copy keeps no data across restarts.",
                    resource.Name,
                    mount.Target);
                pod.Volumes.Add(new V1Volume { Name = volumeName, EmptyDir = new V1EmptyDirVolumeSource() });
                container.VolumeMounts.Add(new V1VolumeMount { Name = volumeName, MountPath = mount.Target, ReadOnlyProperty = mount.IsReadOnly });
                continue;
            }

            var source = mount.Source ?? throw new InvalidOperationException($"Resource '{resource.Name}' mounts a file without a source.");
            var configMapName = $"{resource.Name}-{volumeName}";
            objects.Add(($"{resource.Name}/configmap-{volumeName}.yaml", new V1ConfigMap
            {
                ApiVersion = "v1",
                Kind = "ConfigMap",
                Metadata = Metadata(configMapName, labels),
                Data = FilesOf(resource.Name, source),
            }));
            pod.Volumes.Add(new V1Volume { Name = volumeName, ConfigMap = new V1ConfigMapVolumeSource { Name = configMapName } });
            container.VolumeMounts.Add(new V1VolumeMount { Name = volumeName, MountPath = mount.Target, ReadOnlyProperty = true });
        }
    }

    private static Dictionary<string, string> FilesOf(string resourceName, string source)
    {
        if (File.Exists(source))
        {
            return new(StringComparer.Ordinal) { [Path.GetFileName(source)] = File.ReadAllText(source) };
        }

        if (!Directory.Exists(source))
        {
            throw new InvalidOperationException($"Resource '{resourceName}' mounts '{source}', which does not exist.");
        }

        if (Directory.EnumerateDirectories(source).Any())
        {
            throw new InvalidOperationException(
                $"Resource '{resourceName}' mounts '{source}', which has subdirectories; a ConfigMap holds a flat directory.");
        }

        return Directory.EnumerateFiles(source)
            .Order(StringComparer.Ordinal)
            .ToDictionary(file => Path.GetFileName(file), File.ReadAllText, StringComparer.Ordinal);
    }

    /// <summary>
    /// What every Harmony .NET service gets: a non-root read-only container with a writable /tmp, requests and limits,
    /// and probes on the service defaults' health endpoints.
    /// </summary>
    private static void HardenService(V1PodSpec pod, V1Container container, IReadOnlyList<EndpointAnnotation> endpoints)
    {
        pod.AutomountServiceAccountToken = false;
        pod.SecurityContext = new V1PodSecurityContext
        {
            RunAsNonRoot = true,
            RunAsUser = DotNetAppUser,
            RunAsGroup = DotNetAppUser,
            SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
        };
        container.SecurityContext = new V1SecurityContext
        {
            AllowPrivilegeEscalation = false,
            ReadOnlyRootFilesystem = true,
            Capabilities = new V1Capabilities { Drop = ["ALL"] },
        };
        container.Resources = new V1ResourceRequirements
        {
            Requests = new Dictionary<string, ResourceQuantity>
            {
                ["cpu"] = new("100m"),
                ["memory"] = new("128Mi"),
            },
            Limits = new Dictionary<string, ResourceQuantity>
            {
                ["cpu"] = new("1"),
                ["memory"] = new("512Mi"),
            },
        };

        // .NET writes its diagnostics socket and temporary files here; the rest of the file system stays read-only.
        pod.Volumes.Add(new V1Volume { Name = "tmp", EmptyDir = new V1EmptyDirVolumeSource { SizeLimit = new ResourceQuantity("64Mi") } });
        container.VolumeMounts.Add(new V1VolumeMount { Name = "tmp", MountPath = "/tmp" });

        var http = endpoints.FirstOrDefault(e => e.UriScheme is "http" or "https");
        if (http is not null)
        {
            var port = PortName(http);
            container.StartupProbe = new V1Probe
            {
                HttpGet = new V1HTTPGetAction { Port = port, Path = LivenessPath },
                PeriodSeconds = 2,
                FailureThreshold = 30,
            };
            container.LivenessProbe = new V1Probe
            {
                HttpGet = new V1HTTPGetAction { Port = port, Path = LivenessPath },
                PeriodSeconds = 10,
                FailureThreshold = 3,
            };
            container.ReadinessProbe = new V1Probe
            {
                HttpGet = new V1HTTPGetAction { Port = port, Path = ReadinessPath },
                PeriodSeconds = 5,
                FailureThreshold = 3,
            };
        }
    }

    // The budget selects the Deployment's own pods: its selector, not the pods' full labels, so the two cannot drift.
    private V1PodDisruptionBudget DisruptionBudget(
        string name, IDictionary<string, string> labels, KubernetesDisruptionBudgetAnnotation budget) =>
        new()
        {
            ApiVersion = "policy/v1",
            Kind = "PodDisruptionBudget",
            Metadata = Metadata(name, labels),
            Spec = new V1PodDisruptionBudgetSpec
            {
                MinAvailable = budget.MinAvailable,
                Selector = new V1LabelSelector { MatchLabels = Selector(name) },
            },
        };

    private KedaScaledObject ScaledObject(string name, IDictionary<string, string> labels, TaskQueueAutoscalingAnnotation scaling) =>
        new()
        {
            Metadata = Metadata(name, labels),
            Spec = new KedaScaledObjectSpec
            {
                ScaleTargetRef = new KedaScaleTargetRef { ApiVersion = "apps/v1", Kind = "Deployment", Name = name },
                MinReplicaCount = scaling.MinReplicas,
                MaxReplicaCount = scaling.MaxReplicas,
                PollingInterval = 15,

                // A backlog says nothing of tasks in flight (KEDA's temporal scaler docs), so scale down slowly: after
                // five minutes of a lower count, and one pod a minute, each draining its activities before it stops.
                // KEDA's cooldownPeriod would not: it governs only scaling to zero, which minReplicaCount rules out.
                Advanced = new KedaAdvancedConfig
                {
                    HorizontalPodAutoscalerConfig = new KedaHorizontalPodAutoscalerConfig
                    {
                        Behavior = new V2HorizontalPodAutoscalerBehavior
                        {
                            ScaleDown = new V2HPAScalingRules
                            {
                                StabilizationWindowSeconds = 300,
                                Policies = [new V2HPAScalingPolicy { Type = "Pods", Value = 1, PeriodSeconds = 60 }],
                            },
                        },
                    },
                },
                Triggers =
                [
                    new KedaTrigger
                    {
                        Type = "temporal",
                        Name = "task-queue-backlog",
                        Metadata = new Dictionary<string, string>(StringComparer.Ordinal)
                        {
                            // Read from the worker's own container, so the scaler and the worker agree on the address.
                            ["endpointFromEnv"] = scaling.AddressVariable,
                            ["namespace"] = scaling.TemporalNamespace,
                            ["taskQueue"] = scaling.TaskQueue,
                            // The worker polls both kinds of task on one queue.
                            ["queueTypes"] = "workflow,activity",
                            ["targetQueueSize"] = scaling.TargetBacklogPerReplica.ToString(CultureInfo.InvariantCulture),
                            ["activationTargetQueueSize"] = "0",
                        },
                    },
                ],
            },
        };
}
