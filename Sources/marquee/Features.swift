import ArgumentParser
import Foundation
import MarqueeCore
import MarqueeStore

/// `marquee features list|describe VIEW|materialize`.
struct Features: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Feature views: what exists, how fresh and complete, and the online table.",
        subcommands: [List.self, Describe.self, Materialize.self])

}
