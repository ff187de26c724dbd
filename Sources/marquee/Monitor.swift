import ArgumentParser
import Foundation
import MarqueeCore
import MarqueeStore

/// `marquee monitor report`: the drift monitors' coverage table of a recorded scrape or reparse.
struct Monitor: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Field coverage of recorded scrapes and reparses (drift monitors).", subcommands: [Report.self])

}
