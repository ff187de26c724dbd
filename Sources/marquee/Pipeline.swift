import ArgumentParser
import Foundation
import Logging
import MarqueeCore
import MarqueeML
import MarqueePipeline
import MarqueeStore

/// `marquee pipeline run NAME`: the whole chain, with step caching and a run record.
struct Pipeline: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a pipeline (pipelines/<name>.toml): scrape → ingest → dataset → train → evaluate → export.",
        subcommands: [Run.self])

}

/// Runs `spec` as `pipeline run` and `demo` do: the configured request rate, SIGINT/SIGTERM
/// turned into a stop at the next safe point, and the run's record returned.
func runPipeline(
    _ spec: PipelineSpec, _ environment: PipelineRunner.Environment, force: Bool, logger: Logger
) async throws -> RunRecord {
    var runner = PipelineRunner(spec: spec, environment: environment, logger: logger)
    runner.force = force
    runner.environment.rate = EffectiveConfig.rate
    let configured = runner
    SignalHandling.install()
    return try await configured.run()
}
