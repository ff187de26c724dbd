import Foundation
import MarqueeCore

extension RunRecord {
    /// A run as `runs list --format json`, `runs show --format json` and `pipeline run --format json`
    /// print it: times as ISO 8601, snake_case keys (a stable interface).
    public struct Summary: Encodable, Sendable {
        /// One step of the run.
        public struct Step: Encodable, Sendable {
            /// `scrape:imdb`, `ingest`, `dataset`, `train`, `evaluate`, `export`.
            public var step, status, started: String
            /// When it ended; `nil` while running or for an abandoned run.
            public var ended: String?
            /// The hash of everything the step read; an unchanged hash skips the step next time.
            public var inputHash: String
            /// The hash of what it wrote.
            public var outputHash: String?
            /// Why it failed.
            public var error: String?
        }
        /// The run id, the pipeline's name, `ok`/`failed`/`running`/`abandoned`, the start time.
        public var id, pipeline, status, started: String
        /// When it ended.
        public var ended: String?
        /// Why it failed.
        public var error: String?
        /// The exit status of a failed run.
        public var exitCode: Int?
        /// Its steps, in order.
        public var steps: [Step]
    }

    /// The run as ``Summary`` (encode with `.convertToSnakeCase`).
    public var summary: Summary {
        Summary(
            id: id, pipeline: pipeline, status: status, started: Microseconds.iso(started),
            ended: ended.map(Microseconds.iso), error: error, exitCode: exitCode,
            steps: steps.map {
                Summary.Step(
                    step: $0.step, status: $0.status, started: Microseconds.iso($0.started),
                    ended: $0.ended.map(Microseconds.iso), inputHash: $0.inputHash, outputHash: $0.outputHash,
                    error: $0.error)
            })
    }

    /// The run as `runs show` prints it: a header line (id, pipeline, status, start), the dataset
    /// and model versions, the error, then one line per step (status, duration, input and output
    /// hashes) with its outputs and error. Ends with a newline.
    public var report: String {
        var out = "run \(id)  pipeline \(pipeline)  \(status)  started \(Microseconds.isoSeconds(started))\n"
        if let detail { out += "versions: \(detail.serialized())\n" }
        if let error { out += "error (exit \(exitCode.map(String.init) ?? "?")): \(error)\n" }
        func column(_ text: String, _ width: Int) -> String {
            text.padding(toLength: width, withPad: " ", startingAt: 0)
        }
        for step in steps {
            let seconds = step.ended.map { String(format: "%.2f s", Double($0 - step.started) / 1e6) } ?? "-"
            let output = step.outputHash.map { String($0.prefix(12)) } ?? "-"
            out +=
                "  \(column(step.step, 20)) \(column(step.status, 7)) \(column(seconds, 9)) in \(step.inputHash.prefix(12)) → out \(output)\n"
            if let outputs = step.outputs { out += "      \(outputs.serialized())\n" }
            if let error = step.error { out += "      error: \(error)\n" }
        }
        return out
    }
}
