import ArgumentParser
import Foundation
import MarqueeCore
import MarqueeExport
import MarqueePipeline

/// `marquee manifests EXPORT_DIR --target … --storage-uri URI --out DIR`.
struct Manifests: AsyncParsableCommand {
    enum Target: String, ExpressibleByArgument, CaseIterable {
        case seldonV2 = "seldon-v2", kserve, triton, cronjob
    }

    static let configuration = CommandConfiguration(
        abstract: "Write Kubernetes manifests that deploy an export (Seldon Core v2, KServe, Triton) or schedule pipelines.",
        discussion: """
            seldon-v2: a Model per served model (rating and top-k) at STORAGE_URI/NAME, memory from \
            the ONNX size, requirements [onnx]. kserve: an InferenceService on the Triton runtime \
            loading STORAGE_URI. triton: a Deployment (probes on /v2/health/ready and /live) and a \
            Service. cronjob: a CronJob per pipeline in --pipelines with a `schedule` \
            (concurrencyPolicy Forbid, the store on a PersistentVolumeClaim); no EXPORT_DIR. \
            STORAGE_URI is what marquee publish printed. Credentials are referenced by Secret \
            (--secret) or ServiceAccount, never written.
            """)

    @OptionGroup var global: LoggingOptions
    @Argument(help: "The folder marquee export --target triton (or seldon-v2) wrote; not for cronjob.")
    var export: String?
    @Option(help: "seldon-v2, kserve, triton or cronjob.") var target: Target
    @Option(name: .customLong("storage-uri"), help: "Where the export was published (s3://BUCKET/PREFIX, gs://…).")
    var storageURI: String?
    @Option(help: "The folder to write the manifests into.") var out: String
    @Option(help: "An S3-compatible endpoint the Triton Deployment reads from (http://HOST:PORT).") var endpoint: String?
    @Option(help: "A Secret with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (Seldon: the rclone secret).")
    var secret: String?
    @Option(help: "KServe: the ServiceAccount that carries the S3 credentials.") var serviceAccount: String?
    @Option(help: "The container image (triton: Triton's; cronjob: one with marquee installed).") var image: String?
    @Option(help: "cronjob: the pipelines folder.") var pipelines = "pipelines"
    @Option(help: "cronjob: the PersistentVolumeClaim holding the store.") var storeClaim = "marquee-store"
    @Option(help: "text or json (the files written).") var format: OutputFormat = .text

    func validate() throws {
        if target == .cronjob {
            guard export == nil else { throw ValidationError("--target cronjob takes no EXPORT_DIR (it reads --pipelines)") }
            guard image != nil else { throw ValidationError("--target cronjob needs --image (one with marquee installed)") }
        } else {
            guard export != nil else { throw ValidationError("give the export folder (EXPORT_DIR)") }
            guard let storageURI, storageURI.contains("://") else {
                throw ValidationError("--storage-uri is required: the URI marquee publish printed, e.g. s3://models/marquee")
            }
        }
    }

    func run() async throws {
        _ = global.makeLogger("marquee.manifests")
        try await reportingErrors {
            var resources: [(String, JSONValue)] = []
            switch target {
            case .cronjob:
                resources = try scheduledPipelines().map {
                    DeploymentManifests.cronJob(pipeline: $0.name, schedule: $0.schedule, image: image!, storeClaim: storeClaim)
                }
            default:
                let served = try ServingExport.read(URL(fileURLWithPath: export!))
                let uri = storageURI!
                switch target {
                case .seldonV2: resources = DeploymentManifests.seldonV2(served, storageURI: uri, secretName: secret)
                case .kserve: resources = DeploymentManifests.kserve(served, storageURI: uri, serviceAccount: serviceAccount)
                default:
                    resources = DeploymentManifests.triton(
                        served, storageURI: uri, endpoint: endpoint, secretName: secret,
                        image: image ?? DeploymentManifests.defaultTritonImage)
                }
            }
            let folder = URL(fileURLWithPath: out)
            try OutputLocation.checkFolder(folder, what: "the manifests")
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                for (file, value) in resources {
                    try Data(YAMLText.document(value).utf8).write(to: folder.appendingPathComponent(file), options: .atomic)
                }
            } catch {
                throw MarqueeError(.cannotCreate, "cannot write the manifests: \(error.localizedDescription)", location: out)
            }
            let files = resources.map(\.0)
            if format == .json { return try printJSON(Written(target: target.rawValue, out: out, files: files)) }
            print("wrote \(files.count) \(target.rawValue) manifests → \(out)/")
            for file in files { print("  \(file)") }
        }
    }

    struct Written: Encodable {
        var target, out: String
        var files: [String]
    }

    /// The pipelines under --pipelines that name a `schedule`.
    func scheduledPipelines() throws -> [(name: String, schedule: String)] {
        let folder = URL(fileURLWithPath: pipelines)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else {
            throw MarqueeError(.noInput, "no such folder", location: pipelines, hint: "give --pipelines DIR")
        }
        var found: [(String, String)] = []
        for file in names.sorted() where file.hasSuffix(".toml") {
            let spec = try PipelineSpec.load(folder.appendingPathComponent(file))
            guard let schedule = spec.schedule else { continue }
            guard DeploymentManifests.isDNSLabel("marquee-\(spec.name)") else {
                throw MarqueeError(
                    .dataError, "pipeline name \"\(spec.name)\" cannot name a CronJob (lowercase letters, digits and '-')",
                    location: spec.file, hint: "rename the pipeline")
            }
            found.append((spec.name, schedule))
        }
        guard !found.isEmpty else {
            throw MarqueeError(
                .dataError, "no pipeline in \(pipelines) has a schedule", location: pipelines,
                hint: "add schedule = \"0 3 * * *\" (cron syntax) to the pipelines to run on a schedule")
        }
        return found
    }
}
