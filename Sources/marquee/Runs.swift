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
