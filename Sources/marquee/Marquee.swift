import ArgumentParser
import MarqueeCore

/// The `marquee` command: one subcommand per pipeline stage.
@main
struct Marquee: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "marquee",
        abstract: "Scrape movie sites into a feature store; train, evaluate and export recommenders.",
        version: MarqueeVersion.current,
        subcommands: [
            Select.self, Normalise.self, Import.self, Dataset.self, Query.self, Features.self, Robots.self, Fetch.self,
            Crawl.self, CrawlStatus.self, Parse.self, Sites.self, Scrape.self, Reparse.self, Pipeline.self, Runs.self,
            Monitor.self, Entities.self, Config.self, Demo.self, Train.self, Evaluate.self,
            Recommend.self, Export.self, Serve.self,
        ]
    )
}
