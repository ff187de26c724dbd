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
