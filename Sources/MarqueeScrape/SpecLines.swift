import Foundation
import MarqueeCore
import MarqueeHTML
import MarqueeNormalize
import MarqueeStore
import TOMLKit

/// Finds the line of a key or table in a spec, for messages.
struct SpecLines {
    struct Section {
        var header: String?
        var page: Int?
        var start: Int
        var end: Int
    }

    let path: String
    let lines: [Substring]
    var sections: [Section] = []

    init(text: String, path: String) {
        self.path = path
        lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        var page: Int? = nil
        var current = Section(header: nil, page: nil, start: 0, end: lines.count)
        for (index, raw) in lines.enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard line.hasPrefix("[") else { continue }
            var header = line.prefix { $0 != "#" }.filter { $0 != " " && $0 != "\"" && $0 != "'" }
            header = header.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
            if line.hasPrefix("[[page]]") { page = (page ?? -1) + 1 }
            current.end = index
            sections.append(current)
            current = Section(header: header, page: page, start: index, end: lines.count)
        }
        sections.append(current)
    }

    /// `path:line` of `key` inside table `header` of page `page` (occurrence `occurrence` for arrays of tables).
    func location(page: Int?, header: String?, key: String?, occurrence: Int = 0) -> String {
        let matching = sections.filter { $0.page == page && $0.header == header }
        guard occurrence < matching.count else { return path }
        let section = matching[occurrence]
        if let key {
            for index in section.start..<section.end {
                let line = lines[index].trimmingCharacters(in: .whitespaces)
                for candidate in [key, "\"\(key)\""] where line.hasPrefix(candidate) {
                    if line.dropFirst(candidate.count).trimmingCharacters(in: .whitespaces).hasPrefix("=") {
                        return "\(path):\(index + 1)"
                    }
                }
            }
        }
        return "\(path):\(section.start + 1)"
    }
}
