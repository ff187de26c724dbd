import ArgumentParser
import Foundation
import MarqueeCore
import MarqueeStore

/// `marquee entities show KEY | conflicts`: audit how records were resolved to films.
struct Entities: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Audit entity resolution: what a key's film holds, and the matches that need a look.",
        subcommands: [Show.self, Conflicts.self])

}
