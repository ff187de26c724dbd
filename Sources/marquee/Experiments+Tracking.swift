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

    @Option(
        help: ArgumentHelp(
            "Also write the run in MLflow's file-store layout under this folder (mlflow ui --backend-store-uri DIR).",
            valueName: "dir"))
    var mlflow: String?

    /// Records `record` in `global`'s store. The work is done and its output printed, so a store
    /// that cannot take the record (read-only, a PostgreSQL store) is a warning, not a failure.
    func record(_ record: @autoclosure () -> ExperimentRecord, in global: GlobalOptions, logger: Logger) {
        guard !noTrack || mlflow != nil else { return }
        let record = record()
        if let mlflow {
            do throws(MarqueeError) {
                let (experiment, run) = try MLflowFileStore.write(record, to: URL(fileURLWithPath: mlflow))
                logger.info("wrote MLflow run", metadata: ["experiment": "\(experiment)", "run": "\(run)", "dir": "\(mlflow)"])
            } catch {
                warn("the MLflow run was not written: \(error)")
            }
        }
        guard !noTrack else { return }
        if PostgresLocation.isURL(global.store) {
            return warn("the experiment was not recorded: experiments are kept in SQLite stores so far")
        }
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
