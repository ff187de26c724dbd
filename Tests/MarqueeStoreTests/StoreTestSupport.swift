import Foundation
import MarqueeCore

@testable import MarqueeStore

/// A store in memory whose clock the test moves.
func makeStore(at seconds: TimeInterval = 0) throws -> (FeatureStore, ManualClock) {
    let clock = ManualClock(Date(timeIntervalSince1970: seconds))
    return (try FeatureStore(inMemory: clock), clock)
}

/// A scratch folder that disappears with the process's temporary directory.
func scratchDirectory() -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("marquee-tests-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

let second: Int64 = 1_000_000
