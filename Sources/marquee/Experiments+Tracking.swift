import ArgumentParser
import Foundation
import Logging
import MarqueeCore
import MarqueeML
import MarqueePostgres
import MarqueeStore

/// `--no-track`: what `evaluate`, `tune` and `train` share about recording themselves.
struct TrackingOptions: ParsableArguments {
    @Flag(help: "Do not record this run in the store's experiments (marquee experiments list).")
    var noTrack = false

    /// Records `record` in `global`'s store. The work is done and its output printed, so a store
    /// that cannot take the record (read-only, a PostgreSQL store) is a warning, not a failure.
    func record(_ record: @autoclosure () -> ExperimentRecord, in global: GlobalOptions, logger: Logger) {
        guard !noTrack else { return }
        if PostgresLocation.isURL(global.store) {
            return warn("the experiment was not recorded: experiments are kept in SQLite stores so far")
        }
        let record = record()
        do throws(MarqueeError) {
            try global.openStore().recordExperiment(record)
            logger.info("recorded experiment", metadata: ["id": "\(record.id)", "store": "\(global.store)"])
        } catch {
            warn("the experiment was not recorded in \(global.store): \(error.message)")
        }
    }

    private func warn(_ message: String) {
        FileHandle.standardError.write(Data("marquee: warning: \(message) (--no-track to skip)\n".utf8))
    }
}

extension ExperimentRecord {
    /// An evaluation's record: its summary JSON as the metrics.
    static func evaluation(_ evaluation: Evaluation, started: Date) throws -> ExperimentRecord {
        let summary = evaluation.summary
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return ExperimentRecord(
            kind: "evaluate", algorithm: summary.algorithm, parameters: summary.params,
            datasetVersion: summary.datasetVersion, split: summary.split.spec,
            metrics: try JSONParser().parse(String(decoding: try encoder.encode(summary), as: UTF8.self)).value,
            startedAt: started, seconds: evaluation.wallSeconds)
    }
}
