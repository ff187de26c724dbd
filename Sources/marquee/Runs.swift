import ArgumentParser
import Foundation
import Logging
import MarqueeCore
import MarqueeML
import MarqueePipeline
import MarqueeStore

/// `marquee runs list|show`: recorded pipeline runs and their lineage.
struct Runs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Recorded pipeline runs.", subcommands: [List.self, Show.self])

}

enum RunsFormat {
    /// A run as `runs list --format json` prints it.
    struct JSONRun: Encodable {
        struct Step: Encodable {
            var step, status: String
            var started: String
            var ended: String?
            var input_hash: String
            var output_hash: String?
            var error: String?
        }
        var id, pipeline, status, started: String
        var ended: String?
        var error: String?
        var exit_code: Int?
        var steps: [Step]
    }

    static func json(_ run: RunRecord) -> JSONRun {
        JSONRun(
            id: run.id, pipeline: run.pipeline, status: run.status, started: Microseconds.iso(run.started),
            ended: run.ended.map(Microseconds.iso), error: run.error, exit_code: run.exitCode,
            steps: run.steps.map {
                JSONRun.Step(
                    step: $0.step, status: $0.status, started: Microseconds.iso($0.started),
                    ended: $0.ended.map(Microseconds.iso), input_hash: $0.inputHash, output_hash: $0.outputHash,
                    error: $0.error)
            })
    }

    static func time(_ microseconds: Int64) -> String {
        ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(microseconds) / 1e6))
    }

    static func show(_ record: RunRecord) -> String {
        var out = "run \(record.id)  pipeline \(record.pipeline)  \(record.status)  started \(time(record.started))\n"
        if let detail = record.detail { out += "versions: \(detail.serialized())\n" }
        if let error = record.error { out += "error (exit \(record.exitCode.map(String.init) ?? "?")): \(error)\n" }
        for step in record.steps {
            let seconds = step.ended.map { String(format: "%.2f s", Double($0 - step.started) / 1e6) } ?? "-"
            out +=
                "  \(step.step.padding(toLength: 20, withPad: " ", startingAt: 0)) \(step.status.padding(toLength: 7, withPad: " ", startingAt: 0)) \(seconds.padding(toLength: 9, withPad: " ", startingAt: 0)) in \(step.inputHash.prefix(12)) → out \(step.outputHash.map { String($0.prefix(12)) } ?? "-")\n"
            if let outputs = step.outputs { out += "      \(outputs.serialized())\n" }
            if let error = step.error { out += "      error: \(error)\n" }
        }
        return out
    }
}
