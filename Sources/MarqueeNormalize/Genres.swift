/// Genres mapped onto Marquee's controlled vocabulary, with what could not be mapped.
public struct Genres: Sendable, Hashable, Codable {
    /// Vocabulary genres, in the order first seen, without repeats.
    public var genres: [Genre]
    /// Names the vocabulary does not know, kept (cleaned) so they can be reported and mapped later.
    public var unknown: [String]
}

/// Marquee's genre vocabulary: one name per genre, whatever each site calls it.
public enum Genre: String, Sendable, Hashable, Codable, CaseIterable {
    case action, adventure, animation, biography, comedy, crime, documentary, drama, family, fantasy
    case filmNoir = "film-noir"
    case history, horror, music, musical, mystery, romance
    case scienceFiction = "science-fiction"
    case sport, thriller, war, western
    case tvMovie = "tv-movie"
    case short, news
    case realityTV = "reality-tv"
    case talkShow = "talk-show"
    case gameShow = "game-show"
    case adult
}
