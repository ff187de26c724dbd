import ArgumentParser
import Foundation
import MarqueeCore
import MarqueeStore

/// `marquee import movielens DIR`: ratings, films, links and tags into the store.
struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import data into the feature store.", subcommands: [MovieLens.self])

}
