import ArgumentParser
import Foundation
import MarqueeCore
import MarqueeExport
import MarqueeML

extension ExportFormat: ExpressibleByArgument {}

/// `marquee export MODEL --target … --out DIR [--verify]`.
struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Export a model as ONNX for Triton, Seldon Core or MLflow, and prove it predicts what Marquee predicts.",
        discussion: """
            Formats: onnx (model.onnx + recommend.onnx), triton (a model repository), seldon-v2 (the \
            repository + a Model resource), seldon-v1 (the repository + a SeldonDeployment on \
            Triton), mlflow (an MLflow model directory). Every export writes id_maps.json (raw ids → \
            input indices; 0 is for unknown ids) and manifest.json. --verify runs the exported \
            graphs in onnxruntime (Python) on 3,000 pairs and fails (exit 1) if any prediction \
            differs from Marquee's by more than 1e-5.
            """)

    @OptionGroup var global: LoggingOptions
    @OptionGroup var objectStore: ObjectStoreOptions
    @Argument(help: "A model file written by marquee train (or s3://BUCKET/KEY).") var model: String
    @Option(help: "What to write: onnx, triton, seldon-v2, seldon-v1 or mlflow.") var target: ExportFormat = .onnx
    @Option(help: "text or json (the files written and, with --verify, the parity figures).")
    var format: OutputFormat = .text

    struct Outcome: Encodable {
        struct Parity: Encodable {
            var pairs, topKUsers: Int
            var maxAbsDiff, topKMaxAbsDiff: Double
            var onnxruntime: String
            var passes: Bool
        }
        var algorithm, target, out: String
        var files: [String]
        var parity: Parity?
    }
    @Option(help: "The output folder.") var out: String
    @Option(help: "The model's name in serving configurations (default marquee-ALGORITHM).") var name: String?
    @Option(help: "Where this folder is uploaded (what marquee publish prints, e.g. s3://models/marquee); the Seldon resources point into it.")
    var storageURI: String?
    @Option(help: "A `marquee evaluate --format json` output to record in the manifest.") var metrics: String?
    @Flag(help: "Check the export against Marquee's predictions with onnxruntime.") var verify = false
    @Option(help: "Python with onnxruntime for --verify (default $MARQUEE_PYTHON, .venv-test/bin/python, python3).")
    var python: String?

    func validate() throws {
        if let name, name.isEmpty || name.contains(where: { !($0.isLetter || $0.isNumber || "-_.".contains($0)) }) {
            throw ValidationError("--name may hold letters, digits, '-', '_' and '.' only")
        }
    }

    func run() async throws {
        let logger = global.makeLogger("marquee.export")
        try await reportingErrors {
            let bytes = try await objectStore.withLocalCopy(of: model, logger: logger) {
                try InputFile.read($0.path, what: "the model file")
            }
            try OutputLocation.checkFolder(URL(fileURLWithPath: out), what: "the export")
            let loaded = try ModelFile.decode(bytes, source: model)
            var metricsValue: JSONValue?
            if let metrics {
                let text = (try? String(contentsOfFile: metrics, encoding: .utf8)) ?? ""
                guard let parsed = try? JSONParser().parse(text).value else {
                    throw MarqueeError(
                        .dataError, "not JSON", location: metrics,
                        hint: "give the output of marquee evaluate --format json")
                }
                metricsValue = parsed
            }
            let directory = URL(fileURLWithPath: out)
            let modelName = name ?? "marquee-\(loaded.model.algorithm.rawValue)"
            let result = try Exporter.export(
                loaded, sourceBytes: bytes, format: target, name: modelName, directory: directory,
                storageURI: storageURI, metrics: metricsValue)
            var outcome = Outcome(
                algorithm: loaded.model.algorithm.rawValue, target: target.rawValue, out: out, files: result.files)
            if format == .text {
                print("exported \(loaded.model.algorithm.rawValue) as \(target.rawValue) → \(out)/")
                for file in result.files { print("  \(file)") }
            }
            defer { if format == .json { try? printJSON(outcome) } }
            if verify {
                let topK = result.manifest.onnxFiles.keys.first { $0 != result.ratingModelPath }!
                let report = try ParityCheck(python: python).run(
                    model: loaded.model, ratingModel: directory.appendingPathComponent(result.ratingModelPath),
                    topKModel: directory.appendingPathComponent(topK))
                let line = String(
                    format:
                        "parity: %d pairs, max |onnxruntime − marquee| = %.2e; top-k of %d users, max diff %.2e (onnxruntime %@)",
                    report.pairs, report.maxAbsDiff, report.topKUsers, report.topKMaxAbsDiff, report.onnxruntime)
                outcome.parity = .init(
                    pairs: report.pairs, topKUsers: report.topKUsers, maxAbsDiff: report.maxAbsDiff,
                    topKMaxAbsDiff: report.topKMaxAbsDiff, onnxruntime: report.onnxruntime, passes: report.passes(1e-5))
                if format == .text { print(line) }
                guard report.passes(1e-5) else {
                    throw MarqueeError(.failure, "the export does not predict what Marquee predicts (tolerance 1e-5)")
                }
                if format == .text { print("parity: ok (tolerance 1e-5)") }
            }
        }
    }
}
