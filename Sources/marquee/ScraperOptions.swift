import ArgumentParser
import Foundation
import MarqueeCore
import MarqueeScrape

/// Where the scraper specs live; shared by the scraping commands.
struct ScraperOptions: ParsableArguments {
    @Option(
        name: .customLong("scrapers"), help: "The folder of scraper specs (<site>.toml; default from marquee config).")
    var scrapersFlag: String?

    /// The specs folder: the flag, else `marquee config`'s value.
    var scrapers: String { scrapersFlag ?? EffectiveConfig.currentOrDefaults["scrapers"] }

    func load() throws(MarqueeError) -> ScraperSet {
        try ScraperSet.load(directory: URL(fileURLWithPath: scrapers))
    }
}
