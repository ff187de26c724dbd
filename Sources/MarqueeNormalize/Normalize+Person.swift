/// A person's name as credited, with the note the site attached.
public struct PersonName: Sendable, Hashable, Codable {
    /// The name in display order: `Robert Downey Jr.`, `Agnès Varda`.
    public var name: String
    /// A parenthesised credit note without its parentheses (`co-director`, `voice`, `as Dr. X`), if any.
    public var note: String?
    /// `false` when the credit says `(uncredited)`.
    public var credited: Bool

    /// Creates a name.
    public init(name: String, note: String? = nil, credited: Bool = true) {
        self.name = name
        self.note = note
        self.credited = credited
    }
}

extension Normalize {
    /// A person's name.
    ///
    /// Cleans entities and whitespace, takes parenthesised notes off the end (`John Candy
    /// (uncredited)` → credited `false`; `Sharon Maguire (co-director)` → note `co-director`), and
    /// turns `Lastname, Firstname` into `Firstname Lastname` — but leaves `Robert Downey, Jr.` as one
    /// name with its suffix.
    /// - Throws: `missing`, `malformed` (digits only, or nothing left but a note).
    public static func person(_ raw: String) throws(NormalizeError) -> PersonName {
        var text = try raw.cleaned(for: "person")
        var notes: [String] = []
        while text.hasSuffix(")"), let note = text.firstMatch(of: trailingNote) {
            notes.insert(TextCleanup.clean(String(note.output.1)), at: 0)
            text = TextCleanup.clean(String(text[..<note.range.lowerBound]))
        }
        let credited = !notes.contains { $0.lowercased() == "uncredited" }
        notes.removeAll { $0.lowercased() == "uncredited" }
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { TextCleanup.clean(String($0)) }
        if parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty {
            text = nameSuffixes.contains(parts[1].lowercased()) ? "\(parts[0]) \(parts[1])" : "\(parts[1]) \(parts[0])"
        }
        guard !text.isEmpty, text.contains(where: \.isLetter) else {
            throw NormalizeError(.malformed, "person", raw: raw, "no name")
        }
        return PersonName(name: text, note: notes.isEmpty ? nil : notes.joined(separator: "; "), credited: credited)
    }

    static let nameSuffixes: Set<String> = ["jr.", "jr", "sr.", "sr", "ii", "iii", "iv", "phd", "md"]
    nonisolated(unsafe) static let trailingNote = #/\s*\(([^()]*)\)\s*$/#.asciiOnlyDigits()
}
