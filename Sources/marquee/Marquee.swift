import ArgumentParser
import MarqueeCore
import MarqueeHTML

/// The `marquee` command: one subcommand per pipeline stage.
@main
struct Marquee: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "marquee",
        abstract: "Scrape movie sites into a feature store; train, evaluate and export recommenders.",
        version: MarqueeVersion.current,
        subcommands: [
            Select.self, Normalise.self, Import.self, Dataset.self, Query.self, Features.self, Robots.self, Fetch.self,
            Crawl.self, CrawlStatus.self, Parse.self, Sites.self, Scrape.self, Reparse.self, Pipeline.self, Runs.self, Store.self,
            Monitor.self, Entities.self, Config.self, Demo.self, Train.self, Evaluate.self, Tune.self, Experiments.self,
            Recommend.self, Export.self, Publish.self, Manifests.self, Serve.self,
        ]
    )

    /// Opts the process into libxml2 arenas (the executable's choice, never a library's), then
    /// runs the command as argument-parser would.
    static func main() async {
        XMLArena.install()
        do {
            var command = try parseAsRoot()
            if var asynchronous = command as? AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
