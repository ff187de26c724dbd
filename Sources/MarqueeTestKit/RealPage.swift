import Foundation

/// One row of `shared/realpages/SOURCES.tsv`: a page saved from a real site, and what it holds.
public struct RealPage: Sendable, Hashable, CustomStringConvertible {
    /// Path relative to `realpages/`, e.g. `letterboxd/film_breathless_2025.html`.
    public var file: String
    /// `imdb`, `letterboxd`, `rottentomatoes`, `wikipedia`, `boxofficemojo`.
    public var site: String
    /// What kind of page it is, in words (`film main page`, `user diary (ratings + dates)`).
    public var kind: String
    /// The page's `<title>` as recorded (may be empty for fragments).
    public var title: String
    /// The page's URL as recorded.
    public var url: String
    /// JSON-LD `@type`s listed for the page (empty when it has none).
    public var jsonLDTypes: [String]
    /// The absolute file URL.
    public var location: URL

    /// The file path relative to `realpages/` (names parameterised test cases).
    public var description: String { file }

    /// Every page listed in `SOURCES.tsv` under `directory`, in file order.
    public static func all(in directory: URL) throws -> [RealPage] {
        let table = try String(contentsOf: directory.appendingPathComponent("SOURCES.tsv"), encoding: .utf8)
        var lines = table.split(whereSeparator: \.isNewline).map {
            $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        }
        guard !lines.isEmpty else { return [] }
        let header = lines.removeFirst()
        func column(_ name: String) -> Int? { header.firstIndex(of: name) }
        guard let file = column("file"), let site = column("site"), let kind = column("kind"),
            let title = column("title"), let url = column("url"), let types = column("jsonld_types")
        else { throw CocoaError(.fileReadCorruptFile) }
        return lines.filter { $0.count == header.count }.map { row in
            RealPage(
                file: row[file], site: row[site], kind: row[kind], title: row[title], url: row[url],
                jsonLDTypes: row[types].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) },
                location: directory.appendingPathComponent(row[file]))
        }
    }
}
