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
        subcommands: [Run.self, Step.self, ExportPipeline.self])

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

/// The pipeline `name` (a name in the pipelines folder, or a path to its `.toml`) and where it
/// runs: the store, views, specs, salt and work folder `pipeline run` uses.
func pipelineEnvironment(
    _ name: String, pipelines: String?, work: String?, global: GlobalOptions, scrapers: String
) throws -> (PipelineSpec, PipelineRunner.Environment) {
    let spec = try PipelineSpec.load(pipelineFile(name, pipelines: pipelines))
    let workFolder = URL(fileURLWithPath: work ?? "\(EffectiveConfig.currentOrDefaults["work"])/pipelines/\(spec.name)")
    try OutputLocation.checkFolder(workFolder, what: "the pipeline's work folder")
    try global.requireSQLite()
    return (
        spec,
        .init(
            storePath: global.store, features: URL(fileURLWithPath: global.features),
            scrapers: URL(fileURLWithPath: scrapers), work: workFolder, salt: EffectiveConfig.userSalt)
    )
}

/// `pipelines/<name>.toml`, or `name` itself when it is a `.toml` path.
func pipelineFile(_ name: String, pipelines: String?) -> URL {
    name.hasSuffix(".toml")
        ? URL(fileURLWithPath: name)
        : URL(fileURLWithPath: pipelines ?? EffectiveConfig.currentOrDefaults["pipelines"]).appendingPathComponent("\(name).toml")
}
