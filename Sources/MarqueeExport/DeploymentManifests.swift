import Foundation
import MarqueeCore

/// What a Triton-layout export holds, as the deployment manifests need it: the model's name and
/// the ONNX size of its rating and top-k models.
public struct ServingExport: Sendable {
    /// One model of the repository (`NAME` or `NAME-topk`).
    public struct Model: Sendable, Equatable {
        /// The folder name in the repository, which is the model's name in Triton and Seldon.
        public var name: String
        /// Bytes of its `1/model.onnx`.
        public var onnxBytes: Int
    }

    /// The rating model's name (`marquee-svd`).
    public var name: String
    /// The algorithm exported.
    public var algorithm: String
    /// The rating model, then the top-k model.
    public var models: [Model]

    /// Reads `manifest.json` and the ONNX files' sizes of an export in a Triton repository layout
    /// (`marquee export --target triton`, `seldon-v2` or `seldon-v1`).
    /// - Throws: `MarqueeError` 66 without a manifest, 65 for another layout or a name Kubernetes
    ///   refuses (with the command that fixes it).
    public static func read(_ directory: URL) throws(MarqueeError) -> ServingExport {
        let manifestPath = directory.appendingPathComponent("manifest.json").path
        let data = try InputFile.read(manifestPath, what: "the export's manifest (marquee export writes it)")
        let manifest: ExportManifest
        do {
            manifest = try JSONDecoder().decode(ExportManifest.self, from: data)
        } catch {
            throw MarqueeError(.dataError, "not an export manifest: \(error)", location: manifestPath)
        }
        guard ["triton", "seldon-v2", "seldon-v1"].contains(manifest.format) else {
            throw MarqueeError(
                .dataError,
                "the export is in the \(manifest.format) layout; Seldon Core, KServe and Triton load a Triton model repository",
                location: manifestPath, hint: "export again with --target triton (or seldon-v2)")
        }
        guard DeploymentManifests.isDNSLabel(manifest.name), manifest.name.count <= 58 else {
            throw MarqueeError(
                .dataError,
                "the model name \"\(manifest.name)\" is not a Kubernetes resource name (lowercase letters, digits and '-', at most 58 characters here)",
                location: manifestPath, hint: "export again with --name, e.g. --name marquee-svd")
        }
        var models: [Model] = []
        for name in [manifest.name, manifest.name + "-topk"] {
            let path = directory.appendingPathComponent("\(name)/1/model.onnx").path
            guard let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int else {
                throw MarqueeError(.noInput, "the export has no \(name)/1/model.onnx", location: path)
            }
            models.append(Model(name: name, onnxBytes: size))
        }
        return ServingExport(name: manifest.name, algorithm: manifest.algorithm, models: models)
    }
}

/// Kubernetes resources that deploy an export, as JSON values (``YAMLText`` writes them): Seldon
/// Core v2 `Model`s, a KServe `InferenceService`, a Triton `Deployment` + `Service`, and a
/// `CronJob` per scheduled pipeline. Credentials appear only as references to Secrets.
public enum DeploymentManifests {
    /// Triton's image when none is given.
    public static let defaultTritonImage = "nvcr.io/nvidia/tritonserver:24.08-py3"

    /// Memory a model asks for: twice its ONNX bytes (the weights, and onnxruntime's copy while
    /// it builds the session) plus 8 MiB for its arena and buffers, in whole MiB.
    public static func memoryMiB(onnxBytes: Int) -> Int { (2 * onnxBytes + (8 << 20) + (1 << 20) - 1) >> 20 }

    /// Memory of a Triton server holding `export`'s models: its own 512 MiB plus the models'.
    public static func serverMemoryMiB(_ export: ServingExport) -> Int {
        512 + export.models.reduce(0) { $0 + memoryMiB(onnxBytes: $1.onnxBytes) }
    }

    /// Seldon Core v2 `Model`s (`mlops.seldon.io/v1alpha1`), rating and top-k, each at
    /// `storageURI/NAME` (the folder holding its `config.pbtxt`), scheduled on a server with the
    /// `onnx` capability (Triton), memory from the model's size.
    public static func seldonV2(_ export: ServingExport, storageURI: String, secretName: String?) -> [(String, JSONValue)] {
        export.models.map { model in
            var spec: [(String, JSONValue)] = [
                ("storageUri", .string(join(storageURI, model.name))), ("requirements", .array([.string("onnx")])),
                ("memory", .string("\(memoryMiB(onnxBytes: model.onnxBytes))Mi")),
            ]
            if let secretName { spec.append(("secretName", .string(secretName))) }
            return (
                "seldon-model-\(model.name).yaml",
                resource("mlops.seldon.io/v1alpha1", "Model", name: model.name, export: export, spec: spec)
            )
        }
    }

    /// A KServe `InferenceService` (`serving.kserve.io/v1beta1`) on the Triton runtime, loading
    /// the repository at `storageURI` (rating and top-k) over the V2 protocol.
    public static func kserve(_ export: ServingExport, storageURI: String, serviceAccount: String?) -> [(String, JSONValue)] {
        let memory = serverMemoryMiB(export)
        var predictor: [(String, JSONValue)] = []
        if let serviceAccount { predictor.append(("serviceAccountName", .string(serviceAccount))) }
        predictor.append(
            (
                "model",
                object(
                    ("modelFormat", object(("name", .string("onnx")))), ("runtime", .string("kserve-tritonserver")),
                    ("protocolVersion", .string("v2")), ("storageUri", .string(storageURI)),
                    ("resources", resources(memoryMiB: memory)))
            ))
        return [
            (
                "kserve-inferenceservice-\(export.name).yaml",
                resource(
                    "serving.kserve.io/v1beta1", "InferenceService", name: export.name, export: export,
                    spec: [("predictor", .object(JSONObject(predictor)))])
            )
        ]
    }

    /// A Triton `Deployment` reading the repository straight from object storage (credentials
    /// from the Secret `secretName`: keys `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`), with
    /// readiness and liveness probes on the V2 health endpoints, and a `Service` for HTTP, gRPC
    /// and metrics.
    /// - Parameters:
    ///   - export: The export's models.
    ///   - storageURI: Where the export was published (the repository root).
    ///   - endpoint: An S3-compatible server's URL, written into Triton's
    ///     `s3://HOST:PORT/BUCKET/PATH` form.
    ///   - secretName: The Secret with the S3 credentials (`nil`: none, e.g. a node role).
    ///   - image: Triton's container image.
    public static func triton(
        _ export: ServingExport, storageURI: String, endpoint: String?, secretName: String?, image: String
    ) -> [(String, JSONValue)] {
        let app = "\(export.name)-triton"
        var repository = storageURI
        if let endpoint, storageURI.hasPrefix("s3://"), let url = URL(string: endpoint), let host = url.host {
            repository = "s3://\(host)\(url.port.map { ":\($0)" } ?? "")/" + storageURI.dropFirst(5)
        }
        var container: [(String, JSONValue)] = [
            ("name", .string("triton")), ("image", .string(image)),
            (
                "args",
                .array(
                    ["tritonserver", "--model-repository=\(repository)", "--strict-readiness=true"].map { .string($0) })
            ),
        ]
        if let secretName {
            container.append(
                (
                    "env",
                    .array(
                        ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"].map { key in
                            object(
                                ("name", .string(key)),
                                ("valueFrom", object(("secretKeyRef", object(("name", .string(secretName)), ("key", .string(key)))))))
                        })
                ))
        }
        container += [
            (
                "ports",
                .array(
                    [("http", 8000), ("grpc", 8001), ("metrics", 8002)].map {
                        object(("name", .string($0.0)), ("containerPort", .number(Double($0.1))))
                    })
            ),
            ("readinessProbe", probe("/v2/health/ready")), ("livenessProbe", probe("/v2/health/live")),
            ("resources", resources(memoryMiB: serverMemoryMiB(export))),
        ]
        let labels = object(("app.kubernetes.io/name", .string(app)), ("app.kubernetes.io/part-of", .string("marquee")))
        let deployment = resource(
            "apps/v1", "Deployment", name: app, export: export,
            spec: [
                ("replicas", .number(1)), ("selector", object(("matchLabels", labels))),
                (
                    "template",
                    object(
                        ("metadata", object(("labels", labels))),
                        ("spec", object(("containers", .array([.object(JSONObject(container))])))))
                ),
            ])
        let service = resource(
            "v1", "Service", name: app, export: export,
            spec: [
                ("selector", labels),
                (
                    "ports",
                    .array(
                        [("http", 8000), ("grpc", 8001), ("metrics", 8002)].map {
                            object(("name", .string($0.0)), ("port", .number(Double($0.1))), ("targetPort", .string($0.0)))
                        })
                ),
            ])
        return [("triton-deployment-\(export.name).yaml", deployment), ("triton-service-\(export.name).yaml", service)]
    }

    /// A `CronJob` running `marquee pipeline run NAME` on `schedule`, with the store on the
    /// PersistentVolumeClaim `storeClaim`; `concurrencyPolicy: Forbid` matches the run lock (an
    /// overlapping run would exit 75), and Kubernetes does not retry a failed run (Marquee
    /// records it; the next schedule runs again).
    public static func cronJob(pipeline: String, schedule: String, image: String, storeClaim: String) -> (String, JSONValue) {
        let name = "marquee-\(pipeline)"
        let container = object(
            ("name", .string("marquee")), ("image", .string(image)), ("command", .array([.string("marquee")])),
            (
                "args",
                .array(
                    ["pipeline", "run", pipeline, "--store", "/var/lib/marquee/marquee.sqlite", "--log-format", "json"]
                        .map { .string($0) })
            ),
            ("volumeMounts", .array([object(("name", .string("store")), ("mountPath", .string("/var/lib/marquee")))])))
        let job = object(
            ("backoffLimit", .number(0)),
            (
                "template",
                object(
                    (
                        "spec",
                        object(
                            ("restartPolicy", .string("Never")), ("containers", .array([container])),
                            (
                                "volumes",
                                .array([
                                    object(
                                        ("name", .string("store")),
                                        ("persistentVolumeClaim", object(("claimName", .string(storeClaim)))))
                                ])
                            ))
                    ))
            ))
        return (
            "cronjob-\(pipeline).yaml",
            object(
                ("apiVersion", .string("batch/v1")), ("kind", .string("CronJob")),
                ("metadata", object(("name", .string(name)), ("labels", object(("app.kubernetes.io/part-of", .string("marquee")))))),
                (
                    "spec",
                    object(
                        ("schedule", .string(schedule)), ("concurrencyPolicy", .string("Forbid")),
                        ("startingDeadlineSeconds", .number(3600)), ("successfulJobsHistoryLimit", .number(3)),
                        ("failedJobsHistoryLimit", .number(5)), ("jobTemplate", object(("spec", job))))
                ))
        )
    }

    /// Whether `name` is a DNS-1123 label (what Kubernetes names resources and Services with).
    public static func isDNSLabel(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 63 && name.first!.isASCII && (name.first!.isLowercase || name.first!.isNumber)
            && (name.last!.isLowercase || name.last!.isNumber)
            && name.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }
    }

    static func join(_ root: String, _ name: String) -> String { root.hasSuffix("/") ? root + name : "\(root)/\(name)" }

    static func object(_ members: (String, JSONValue)...) -> JSONValue { .object(JSONObject(members)) }

    static func resources(memoryMiB: Int) -> JSONValue {
        object(
            ("requests", object(("cpu", .string("1")), ("memory", .string("\(memoryMiB)Mi")))),
            ("limits", object(("memory", .string("\(2 * memoryMiB)Mi")))))
    }

    static func probe(_ path: String) -> JSONValue {
        object(
            ("httpGet", object(("path", .string(path)), ("port", .string("http")))), ("periodSeconds", .number(5)),
            ("failureThreshold", .number(6)))
    }

    static func resource(_ apiVersion: String, _ kind: String, name: String, export: ServingExport, spec: [(String, JSONValue)])
        -> JSONValue
    {
        object(
            ("apiVersion", .string(apiVersion)), ("kind", .string(kind)),
            (
                "metadata",
                object(
                    ("name", .string(name)),
                    (
                        "labels",
                        object(
                            ("app.kubernetes.io/part-of", .string("marquee")),
                            ("app.kubernetes.io/component", .string("model")))
                    ), ("annotations", object(("marquee/algorithm", .string(export.algorithm)))))
            ), ("spec", .object(JSONObject(spec))))
    }
}
