import ArgumentParser
import Foundation
import MarqueeCore
import MarqueeML
import MarqueeStore

extension Algorithm: ExpressibleByArgument {}

extension GlobalOptions {
    /// The ratings `--dataset` names: a CSV file path, a dataset spec (built now) or a recorded
    /// version id (rebuilt byte for byte), with the version id (`file:<sha256 prefix>` for a file).
    func loadRatings(_ reference: String) throws(MarqueeError) -> (table: RatingTable, version: String) {
        // A path (a CSV file, or anything with a folder in it) is a file, never a spec name.
        if reference.hasSuffix(".csv") || reference.contains("/") {
            let data = try InputFile.read(reference, what: "the ratings file")
            let table = try RatingTable.parse(csv: data, source: reference)
            return (table, "file:" + Hashing.sha256(data).prefix(16))
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "marquee-dataset-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw MarqueeError(.failure, "cannot create \(directory.path): \(error.localizedDescription)")
        }
        defer { try? FileManager.default.removeItem(at: directory) }
        let (version, file) = try openStore().materializeDataset(
            reference, catalog: try loadCatalog(), into: directory)
        return (try RatingTable.load(csv: file), version.id)
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
