import ArgumentParser
import Foundation
import MarqueeCore
import MarqueeML
import MarqueeStore

extension Algorithm: ExpressibleByArgument {}

extension GlobalOptions {
    /// The ratings `--dataset` names (``RatingSource``) and their version id.
    func loadRatings(_ reference: String) throws(MarqueeError) -> (table: RatingTable, version: String) {
        try RatingSource(reference).load(store: openStore, catalog: loadCatalog)
    }
}

/// Writes progress lines to standard error when it is a terminal; otherwise nothing.
enum TerminalProgress {
    static let enabled = isatty(2) != 0

    static func line(_ text: String, final: Bool = false) {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K\(text)\(final ? "\n" : "")".utf8))
    }
}
