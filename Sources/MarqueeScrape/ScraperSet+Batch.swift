import Dispatch
import Foundation
import MarqueeCore

/// One page to extract, and what is known of it (see ``ScraperSet/extract(data:url:site:contentType:links:currentYear:)``).
public struct PageInput: Sendable {
    /// The page's bytes, in any encoding.
    public var data: Data
    /// The page's URL (decides site and page kind; else its canonical link).
    public var url: String?
    /// Only this site's page kinds are considered.
    public var site: String?
    /// The HTTP `Content-Type` it was served with (its charset helps encoding detection).
    public var contentType: String?

    /// A page to extract; see the properties.
    public init(data: Data, url: String? = nil, site: String? = nil, contentType: String? = nil) {
        self.data = data
        self.url = url
        self.site = site
        self.contentType = contentType
    }
}

extension ScraperSet {
    /// Extracts pages `0..<count` on up to `jobs` threads at once and hands each result to
    /// `deliver` on the calling thread, in page order.
    ///
    /// Each page is read and extracted on one worker thread (a document never crosses threads);
    /// the specs, the selector caches and libxml2 are shared. Workers run at most a few pages
    /// ahead of delivery, so memory stays bounded; a sink needs no locking, and the output is the
    /// same, in the same order, as extracting one page at a time — only sooner.
    /// - Parameters:
    ///   - count: how many pages.
    ///   - jobs: worker threads; 1 reads and extracts on the calling thread.
    ///   - links: whether to extract the pages' links too (`false`: records only).
    ///   - currentYear: the year relative dates ("3 days ago", a year-less date) are read in.
    ///   - page: reads page `index` (on a worker thread).
    ///   - deliver: receives page `index`'s records, or why it could not be read or extracted.
    public func extractAll<DeliveryError: Error>(
        _ count: Int, jobs: Int, links: Bool = true,
        currentYear: Int = Calendar(identifier: .gregorian).component(.year, from: Date()),
        page: @escaping @Sendable (Int) throws(MarqueeError) -> PageInput,
        deliver: (Int, Result<PageExtraction, MarqueeError>) throws(DeliveryError) -> Void
    ) throws(DeliveryError) {
        let extractOne = { @Sendable (index: Int) -> Result<PageExtraction, MarqueeError> in
            do throws(MarqueeError) {
                let input = try page(index)
                return .success(
                    try self.extract(
                        data: input.data, url: input.url, site: input.site, contentType: input.contentType,
                        links: links, currentYear: currentYear))
            } catch {
                return .failure(error)
            }
        }
        let jobs = min(max(1, jobs), count)
        if jobs <= 1 {
            for index in 0..<count { try deliver(index, extractOne(index)) }
            return
        }
        let board = ResultBoard(window: jobs * 4)
        for _ in 0..<jobs {
            DispatchQueue.global().async {
                while let index = board.take(below: count) { board.put(index, extractOne(index)) }
            }
        }
        defer { board.cancel() }
        for index in 0..<count { try deliver(index, board.wait(for: index)) }
    }
}

/// Hands page numbers to workers and their results back in order (see ``ScraperSet/extractAll``).
private final class ResultBoard: @unchecked Sendable {
    private let condition = NSCondition()
    private let window: Int
    private var next = 0
    private var delivered = 0
    private var cancelled = false
    private var results: [Int: Result<PageExtraction, MarqueeError>] = [:]

    init(window: Int) { self.window = window }

    /// The next page to extract, once it is within `window` of delivery; nil when all are taken.
    func take(below count: Int) -> Int? {
        condition.lock()
        defer { condition.unlock() }
        while !cancelled && next < count && next - delivered >= window { condition.wait() }
        guard !cancelled, next < count else { return nil }
        defer { next += 1 }
        return next
    }

    func put(_ index: Int, _ result: Result<PageExtraction, MarqueeError>) {
        condition.lock()
        results[index] = result
        condition.broadcast()
        condition.unlock()
    }

    /// Page `index`'s result, waiting for a worker to finish it.
    func wait(for index: Int) -> Result<PageExtraction, MarqueeError> {
        condition.lock()
        defer { condition.unlock() }
        while results[index] == nil { condition.wait() }
        delivered = index + 1
        condition.broadcast()
        return results.removeValue(forKey: index)!
    }

    /// Stops handing out pages (delivery threw, or all were delivered).
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }
}
