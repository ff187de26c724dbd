import ArgumentParser
import Foundation
import MarqueeCore
import MarqueeStore

extension DatasetVersion.Format: ExpressibleByArgument {}

/// `marquee dataset build|list|show|rebuild`: versioned training datasets.
struct Dataset: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build point-in-time datasets and rebuild any recorded version byte for byte.",
        subcommands: [Build.self, List.self, Show.self, Rebuild.self])

}
