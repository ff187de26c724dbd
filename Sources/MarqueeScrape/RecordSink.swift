import Foundation
import GRDB
import MarqueeCore
import MarqueeNormalize
import MarqueeStore
import Synchronization

/// Counts of a scrape or reparse: pages, records by type, rejects by reason, errors by kind.
public struct ScrapeSummary: Sendable, Hashable {
    /// Pages extracted.
    public var pages = 0
    /// Pages no page kind recognised.
    public var unrecognised = 0
    /// Records written, by record type.
    public var records: [String: Int] = [:]
    /// Reject records, by the field that failed.
    public var rejects: [String: Int] = [:]
    /// Pages that failed, by reason (`http-404`, `unrecognised`, …).
    public var errors: [String: Int] = [:]
    /// Observations added to the store (0 when writing JSON Lines).
    public var stored = 0
    /// User ratings extracted but not stored, because the run was told to skip them
    /// (`--no-user-ratings`): counted so nothing is dropped silently.
    public var skippedUserRatings = 0
    /// Field fill rates per site, page kind and field (when the sink was given the specs).
    public var coverage = CoverageReport()

    /// Nothing counted yet.
    public init() {}

    /// One paragraph for the terminal.
    public func report() -> String {
        func list(_ counts: [String: Int]) -> String {
            counts.isEmpty
                ? "none" : counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        }
        return """
            pages parsed: \(pages) (\(unrecognised) unrecognised)
            records: \(records.values.reduce(0, +)) (\(list(records)))
            rejects: \(rejects.values.reduce(0, +)) (\(list(rejects)))
            errors: \(errors.values.reduce(0, +)) (\(list(errors)))
            """ + (skippedUserRatings > 0 ? "\nuser ratings skipped (--no-user-ratings): \(skippedUserRatings)" : "")
    }
}

/// Where extracted records go: a JSON Lines file, the feature store, or both; thread-safe, so
/// the crawl's concurrent page handlers can share it.
public final class RecordSink: Sendable {
    private struct State {
        var summary = ScrapeSummary()
        var output: FileHandle?
        /// Stored films by match key, loaded when the first film without a shared id arrives.
        var films: [String: [StoredFilm]]?
    }

    private let state: Mutex<State>
    private let store: FeatureStore?
    private let salt: String?
    private let scrapers: ScraperSet?

    /// Records go to `output` (JSON Lines, appended: a resumed scrape adds the pages it had not
    /// done yet) and/or `store`; `salt` hashes user handles for the store. Without a salt, user
    /// ratings cannot be stored: they are counted in ``ScrapeSummary/skippedUserRatings``, and
    /// callers should refuse to start such a run unless skipping was asked for
    /// (``UserSaltPolicy``).
    /// With `scrapers`, each page's field coverage is counted for the drift monitors.
    public init(output: URL?, store: FeatureStore?, salt: String?, scrapers: ScraperSet? = nil) throws(MarqueeError) {
        var handle: FileHandle?
        if let output {
            if !FileManager.default.fileExists(atPath: output.path) {
                _ = FileManager.default.createFile(atPath: output.path, contents: nil)
            }
            guard let opened = try? FileHandle(forWritingTo: output), (try? opened.seekToEnd()) != nil else {
                throw MarqueeError(.dataError, "cannot write the records file", location: output.path)
            }
            handle = opened
        }
        state = Mutex(State(output: handle))
        self.store = store
        self.salt = salt
        self.scrapers = scrapers
    }

    /// Takes one page's extraction.
    public func accept(_ extraction: PageExtraction, fetchedAt: Date, sourceHash: String?) throws(MarqueeError) {
        let lines = extraction.jsonLines()
        var observations: [ObservationInput] = []
        if store != nil {
            for record in extraction.records {
                var made = RecordIngest.observations(
                    record.record, fetchedAt: fetchedAt, sourceHash: sourceHash, salt: salt)
                if let film = record.record as? Film, let target = try resolve(film) {
                    made = made.map { observation in
                        var observation = observation
                        observation.alsoKnownAs = [observation.entity] + observation.alsoKnownAs
                        observation.entity = target
                        return observation
                    }
                }
                observations += made
            }
            observations += RecordIngest.originalRelease(extraction.records.compactMap { $0.record as? Release })
        }
        let stored = try store?.ingest(observations) ?? 0
        let skipped =
            store != nil && (salt ?? "").isEmpty ? extraction.records.count { $0.record is UserRating } : 0
        let spec = scrapers?.site(extraction.site)?.pages.first { $0.kind == extraction.kind }
        state.withLock { state in
            state.summary.pages += 1
            state.summary.skippedUserRatings += skipped
            if let spec { state.summary.coverage.add(extraction, spec: spec) }
            for record in extraction.records {
                state.summary.records[type(of: record.record).typeName, default: 0] += 1
            }
            for reject in extraction.rejects {
                state.summary.rejects["\(reject.reason) \(reject.field)", default: 0] += 1
            }
            state.summary.stored += stored
            state.output?.write(Data(lines.utf8))
        }
    }

    /// The stored film a record without an IMDb or TMDB id is the same as, by the entity
    /// matcher; `nil` when it has such an id, is already known by its own key, or matches no
    /// film (or several: recorded as ambiguous, not merged).
    private func resolve(_ film: Film) throws(MarqueeError) -> EntityKey? {
        guard let store, film.imdbID == nil, film.tmdbID == nil, let text = film.key,
            let colon = text.firstIndex(of: ":")
        else { return nil }
        let own = EntityKey(String(text[..<colon]), String(text[text.index(after: colon)...]))
        if try store.entity(.film, own) != nil { return nil }
        let identity = FilmIdentity(title: film.title, year: film.year, directors: film.directors ?? [])
        let index: [String: [StoredFilm]]
        if let cached = state.withLock({ $0.films }) {
            index = cached
        } else {
            var loaded: [String: [StoredFilm]] = [:]
            for film in try store.storedFilms() {
                for key in FilmIdentity(title: film.title, year: film.year).matchKeys {
                    loaded[key, default: []].append(film)
                }
            }
            state.withLock { $0.films = loaded }
            index = loaded
        }
        var seen = Set<Int64>()
        let candidates = identity.matchKeys.sorted().flatMap { index[$0] ?? [] }.filter {
            seen.insert($0.entityID).inserted
        }
        let decision = EntityMatcher.match(
            identity, among: candidates.map { FilmIdentity(title: $0.title, year: $0.year, directors: $0.directors) })
        let now = Microseconds.from(Date())
        switch decision {
        case .matched(let position, let score, let reason):
            let target = candidates[position].key
            try store.recordEntityMatch(
                EntityMatchRecord(
                    key: own.description, status: "matched", entityKey: target, score: score, reason: reason,
                    candidates: [], created: now))
            guard let colon = target.firstIndex(of: ":") else { return nil }
            return EntityKey(String(target[..<colon]), String(target[target.index(after: colon)...]))
        case .ambiguous(let positions, let reason):
            try store.recordEntityMatch(
                EntityMatchRecord(
                    key: own.description, status: "ambiguous", entityKey: nil, score: nil, reason: reason,
                    candidates: positions.map { candidates[$0].key }, created: now))
            return nil
        case .none:
            return nil
        }
    }

    /// Counts a page no page kind recognised, or one that failed to fetch.
    public func count(error kind: String, unrecognised: Bool = false) {
        state.withLock { state in
            state.summary.errors[kind, default: 0] += 1
            if unrecognised { state.summary.unrecognised += 1 }
        }
    }

    /// The counts so far.
    public var summary: ScrapeSummary { state.withLock { $0.summary } }

    /// Flushes and closes the output file.
    public func close() {
        state.withLock { state in
            try? state.output?.synchronize()
            try? state.output?.close()
            state.output = nil
        }
    }
}

/// Whether a run that writes to the store may start without a user salt: user handles are
/// stored only as salted hashes, so without a salt user ratings cannot be kept. Rather than drop
/// them silently, a run refuses (exit 78) unless it was told to skip them.
public enum UserSaltPolicy {
    /// Throws a configuration error (exit 78) when `specs` can yield user ratings, they would go
    /// to a store, no salt is set, and `skipUserRatings` is false.
    public static func check(
        specs: [SiteSpec], toStore: Bool, salt: String?, skipUserRatings: Bool
    ) throws(MarqueeError) {
        guard toStore, !skipUserRatings, (salt ?? "").isEmpty else { return }
        let sites = specs.filter { spec in spec.pages.contains { $0.record == .userRating } }.map(\.site)
        guard !sites.isEmpty else { return }
        throw MarqueeError(
            .configuration,
            "no user salt is configured, so the user ratings of \(sites.joined(separator: ", ")) cannot be stored (handles are kept only as salted hashes)",
            hint:
                "set a secret salt with MARQUEE_USER_SALT or user_salt in marquee.toml (marquee config shows it), or pass --no-user-ratings to skip them and count them"
        )
    }
}

extension ScrapedRecord {
    /// The record's `type` (`film`, `user_rating`, …), from ``RecordType``.
    static var typeName: String {
        RecordType.allCases.first { ObjectIdentifier($0.swiftType) == ObjectIdentifier(Self.self) }?.rawValue
            ?? "record"
    }
}

/// How records become feature-store observations: film facts on the film's best key (other
/// ids as aliases), site ratings as `<site>_rating`, users' ratings as relations from a
/// salted-hash user to the film.
public enum RecordIngest {
    /// The observations of one record; empty for record types the store does not keep.
    public static func observations(
        _ record: any ScrapedRecord, fetchedAt: Date, sourceHash: String?, salt: String?
    ) -> [ObservationInput] {
        let fetched = Microseconds.from(fetchedAt)
        switch record {
        case let film as Film:
            guard let key = film.key.flatMap(entityKey) else { return [] }
            var aliases: [EntityKey] = []
            if let id = film.imdbID { aliases.append(EntityKey("imdb", id)) }
            if let id = film.tmdbID { aliases.append(EntityKey("tmdb", "\(id)")) }
            if let slug = film.letterboxdSlug { aliases.append(EntityKey("letterboxd", slug)) }
            if let slug = film.rtSlug { aliases.append(EntityKey("rt", slug)) }
            if let title = film.wikipediaTitle { aliases.append(EntityKey("wikipedia", title)) }
            aliases.removeAll { $0 == key }
            // Facts a film does not change (title, year, credits, budget) are timeless, as
            // MovieLens's are (event time 0), so they join to ratings made before the page was
            // fetched; the site's scores and counts change and are dated by the fetch.
            var facts: [(String, DatabaseValue)] = [("title", film.title.databaseValue)]
            func list(_ name: String, _ values: [String]?, first: Int = .max) {
                guard let values, !values.isEmpty else { return }
                facts.append((name, values.prefix(first).joined(separator: "|").databaseValue))
            }
            if let year = film.year { facts.append(("year", year.databaseValue)) }
            list("genres", film.genres)
            if let runtime = film.runtimeMinutes { facts.append(("runtime_minutes", runtime.databaseValue)) }
            list("directors", film.directors)
            list("cast", film.cast, first: 5)
            list("countries", film.countries)
            list("languages", film.languages)
            if let format = film.format { facts.append(("format", format.databaseValue)) }
            if let year = film.endYear { facts.append(("end_year", year.databaseValue)) }
            if let seasons = film.seasons { facts.append(("seasons", seasons.databaseValue)) }
            if let episodes = film.episodes { facts.append(("episodes", episodes.databaseValue)) }
            if let date = film.releaseDate { facts.append(("release_date", date.databaseValue)) }
            if let budget = film.budget.flatMap(usd) { facts.append(("budget_usd", budget.databaseValue)) }
            var scores: [(String, DatabaseValue)] = []
            if let rating = film.rating, rating.scale > 0 {
                scores.append(("\(film.site)_rating", (rating.value / rating.scale).databaseValue))
                scores.append(("\(film.site)_rating_value", rating.value.databaseValue))
                if let count = rating.count { scores.append(("\(film.site)_rating_count", count.databaseValue)) }
            }
            for (name, score) in [("tomatometer", film.tomatometer), ("audience_score", film.audienceScore)] {
                guard let score else { continue }
                scores.append((name, score.value.databaseValue))
                if let count = score.count { scores.append(("\(name)_count", count.databaseValue)) }
            }
            if let gross = film.boxOffice.flatMap(usd) { scores.append(("worldwide_gross_usd", gross.databaseValue)) }
            return facts.map { ($0, $1, Int64(0)) }.map(observation) + scores.map { ($0, $1, fetched) }.map(observation)
            func observation(_ item: (feature: String, value: DatabaseValue, event: Int64)) -> ObservationInput {
                ObservationInput(
                    kind: .film, entity: key, alsoKnownAs: aliases, feature: item.feature, value: item.value,
                    eventTimestamp: item.event, source: film.site, sourceHash: sourceHash)
            }
        case let rating as UserRating:
            guard let salt, !salt.isEmpty, let value = rating.rating,
                let film = rating.filmSlug.map({ EntityKey(rating.site, $0) })
                    ?? rating.filmSiteID.map({ EntityKey("\(rating.site)-id", $0) })
            else { return [] }
            let event = rating.ratedOn.flatMap(microseconds) ?? fetched
            return [
                ObservationInput(
                    kind: .user, entity: .hashedUser(site: rating.site, handle: rating.user, salt: salt),
                    feature: "rating", object: (.film, film), value: value.value.databaseValue, eventTimestamp: event,
                    source: rating.site, sourceHash: sourceHash)
            ]
        case let summary as RatingSummary:
            // Scores change: dated by the fetch, on the film the slug names (a film page's alias).
            guard let slug = summary.filmSlug, let rating = summary.rating, rating.scale > 0 else { return [] }
            var values: [(String, DatabaseValue)] = [
                ("\(summary.site)_rating", (rating.value / rating.scale).databaseValue),
                ("\(summary.site)_rating_value", rating.value.databaseValue),
            ]
            if let count = rating.count { values.append(("\(summary.site)_rating_count", count.databaseValue)) }
            return values.map { feature, value in
                ObservationInput(
                    kind: .film, entity: EntityKey(summary.site, slug), feature: feature, value: value,
                    eventTimestamp: fetched, source: summary.site, sourceHash: sourceHash)
            }
        case let box as BoxOffice:
            // A title's totals (not one release's market): grosses grow while a film runs, so
            // they are dated by the fetch; the budget is a fact of the production.
            guard let id = box.imdbID, box.releaseID == nil else { return [] }
            var values: [(String, Double, Int64)] = []
            for (name, money) in [
                ("domestic_gross_usd", box.domestic), ("international_gross_usd", box.international),
                ("worldwide_gross_usd", box.worldwide), ("opening_gross_usd", box.opening),
            ] {
                if let amount = money.flatMap(usd) { values.append((name, amount, fetched)) }
            }
            if let budget = box.budget.flatMap(usd) { values.append(("budget_usd", budget, 0)) }
            if let date = box.releaseDate {
                return values.map(observation) + [
                    ObservationInput(
                        kind: .film, entity: EntityKey("imdb", id), feature: "release_date", value: date.databaseValue,
                        eventTimestamp: 0, source: box.site, sourceHash: sourceHash)
                ]
            }
            return values.map(observation)
            func observation(_ item: (String, Double, Int64)) -> ObservationInput {
                ObservationInput(
                    kind: .film, entity: EntityKey("imdb", id), feature: item.0, value: item.1.databaseValue,
                    eventTimestamp: item.2, source: box.site, sourceHash: sourceHash)
            }
        default:
            return []
        }
    }

    /// A release-dates page's earliest release, as the film's timeless `release_date` (and
    /// `release_country`); nothing when the page listed no dated release.
    public static func originalRelease(_ releases: [Release]) -> [ObservationInput] {
        guard
            let first = releases.filter({ $0.releaseDate != nil && $0.filmSiteID != nil })
                .min(by: { $0.releaseDate! < $1.releaseDate! }),
            let id = first.filmSiteID, let date = first.releaseDate
        else { return [] }
        var values: [(String, DatabaseValue)] = [("release_date", date.databaseValue)]
        if let country = first.country { values.append(("release_country", country.databaseValue)) }
        return values.map { feature, value in
            ObservationInput(
                kind: .film, entity: EntityKey(first.site, id), feature: feature, value: value, eventTimestamp: 0,
                source: first.site)
        }
    }

    /// A US-dollar amount as a number; other currencies are not converted (no rate is known for
    /// the page's date), so they give no `_usd` feature.
    private static func usd(_ money: Money) -> Double? {
        money.currency == "USD" ? NSDecimalNumber(decimal: money.amount).doubleValue : nil
    }

    private static func entityKey(_ text: String) -> EntityKey? {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        return EntityKey(String(text[..<colon]), String(text[text.index(after: colon)...]))
    }

    private static func microseconds(_ isoDate: String) -> Int64? {
        let parts = isoDate.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        var components = DateComponents()
        components.year = parts[0]
        components.month = parts[1]
        components.day = parts[2]
        components.timeZone = TimeZone(identifier: "UTC")
        guard let date = Calendar(identifier: .gregorian).date(from: components) else { return nil }
        return Int64(date.timeIntervalSince1970 * 1_000_000)
    }
}
