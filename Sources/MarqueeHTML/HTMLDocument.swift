import CLibXML2
import CMarqueeXML
import Foundation
import MarqueeCore

/// A parsed HTML page: libxml2's tree, the encoding it was decoded with, and its URL.
///
/// Parsing never fails: malformed markup is repaired the way browsers repair it (libxml2's HTML
/// parser in recovery mode), and empty input gives an empty document. Query it with
/// ``xpath(_:)`` and ``css(_:)``, or start from ``root``. The tree is freed when the last
/// reference to the document (or to a ``Selector`` from it) goes away.
///
/// A document is not `Sendable`: parse and query it on one task, and pass on what you extracted.
public final class HTMLDocument {
    /// The page's URL, if known; also the base for libxml2's `xmlNodeGetBase`.
    public let url: String?
    /// The encoding the bytes were decoded with, and what decided it.
    public let encoding: DetectedEncoding
    /// How many bytes were parsed.
    public let byteCount: Int

    let pointer: xmlDocPtr
    private var xpathContext: xmlXPathContextPtr?
    /// The region the tree was parsed into (see `marquee_xml_arena.h`); `nil` when libxml2 runs
    /// on its ordinary allocator.
    private let arena: OpaquePointer?
    /// The index native CSS answers from (see `marquee_css_index`), built on first use.
    private var cssIndex: OpaquePointer?
    private var cssIndexBuilt = false
    /// Whether script/style bodies were cut out for the parse and put back (for tests).
    private(set) var rawTextWasCut = false

    /// Parses `data` as HTML.
    /// - Parameters:
    ///   - data: the bytes as fetched (any encoding, BOM or not).
    ///   - url: the page's URL, kept for relative links and messages.
    ///   - contentType: the HTTP `Content-Type` header, whose `charset` takes part in detection.
    public convenience init(data: Data, url: String? = nil, contentType: String? = nil) {
        self.init(data: data, url: url, contentType: contentType, cutRawText: Self.cutsRawText)
    }

    /// Parses `data`; `cutRawText: false` gives libxml2 the script and style bodies to read itself
    /// (the tree is the same either way — tests compare the two).
    init(data: Data, url: String?, contentType: String?, cutRawText: Bool) {
        Self.initialiseLibrary
        self.url = url
        self.byteCount = data.count
        var (detected, statistics) = EncodingSniffer.detectWithStatistics(data, contentType: contentType)
        var input = data
        if let bom = EncodingSniffer.byteOrderMark(data) { input = data.dropFirst(bom.length) }
        if detected.name != "UTF-8", detected.name != "windows-1252", !Self.libxmlCanDecode(detected.name) {
            // iconv does not know the declared label: read as UTF-8 rather than fail.
            detected = DetectedEncoding(name: "UTF-8", source: .fallback, declared: detected.declared ?? detected.name)
        }
        // libxml2 gets UTF-8 (its native encoding, no conversion pass) whenever Marquee can make it.
        var parserEncoding: String? = nil
        switch detected.name {
        case "UTF-8":
            if (statistics ?? UTF8Stats(input)).invalidSequences > 0 {
                // libxml2 switches a whole page to latin-1 on the first bad byte; repair the bytes instead.
                input = Data(String(decoding: input, as: UTF8.self).utf8)
            }
        case "windows-1252":
            // Decoded here, as WHATWG defines it: iconv rejects 0x81, 0x8D, 0x8F, 0x90 and 0x9D.
            input = Windows1252.decodeToUTF8(input)
        default:
            parserEncoding = detected.name
        }
        self.encoding = detected

        let options = Int32(
            HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
                | HTML_PARSE_NONET.rawValue | HTML_PARSE_COMPACT.rawValue | HTML_PARSE_IGNORE_ENC.rawValue
                | HTML_PARSE_NODEFDTD.rawValue)
        let arena = marquee_xml_arena_installed() != 0 ? marquee_xml_arena_create() : nil
        var wasCut = false
        let parsed = input.withUnsafeBytes { raw -> htmlDocPtr? in
            guard let base = raw.baseAddress, raw.count > 0 else { return nil }
            marquee_xml_silence_thread()
            marquee_xml_arena_enter(arena)
            defer {
                // The thread's last-error record may now hold arena strings: clear it before the
                // arena can go away.
                xmlResetLastError()
                marquee_xml_arena_leave()
            }
            let source = base.assumingMemoryBound(to: CChar.self)
            if cutRawText, parserEncoding == nil,
                let document = Self.parseWithoutRawText(source, raw.count, url, options, inArena: arena != nil)
            {
                wasCut = true
                return document
            }
            return htmlReadMemory(source, Int32(clamping: raw.count), url, parserEncoding, options)
        }
        self.rawTextWasCut = wasCut
        if let parsed {
            self.pointer = parsed
            self.arena = arena
        } else {
            marquee_xml_arena_destroy(arena)
            self.pointer = htmlNewDocNoDtD(nil, nil)
            self.arena = nil
        }
    }

    /// Parses a string of HTML (already decoded, so no encoding detection).
    public convenience init(html: String, url: String? = nil) {
        self.init(data: Data(html.utf8), url: url, contentType: "text/html; charset=utf-8")
    }

    deinit {
        if let xpathContext { xmlXPathFreeContext(xpathContext) }
        marquee_css_index_free(cssIndex)
        if let arena {
            // Every block of the tree is in the arena (nothing allocates into a document after the
            // parse; the CSS index only writes order marks), so dropping the arena frees it all.
            marquee_xml_arena_destroy(arena)
        } else {
            xmlFreeDoc(pointer)
        }
    }

    private static let initialiseLibrary: Void = { xmlInitParser() }()

    /// `MARQUEE_XML_CUT=0` has libxml2 read script and style bodies itself (to compare, or to rule
    /// the cut out).
    private static let cutsRawText = ProcessInfo.processInfo.environment["MARQUEE_XML_CUT"] != "0"

    /// Parses UTF-8 `source` with its long script and style bodies cut out, then puts them back
    /// (see `marquee_rawtext.h`); nil when there was nothing to cut or libxml2 did not read the
    /// page as the cut assumed, and the caller parses `source` as it is.
    private static func parseWithoutRawText(
        _ source: UnsafePointer<CChar>, _ count: Int, _ url: String?, _ options: Int32, inArena: Bool
    ) -> htmlDocPtr? {
        var cut = marquee_rawtext()
        defer { marquee_rawtext_free(&cut) }
        guard marquee_rawtext_cut(source, count, &cut) > 0, let html = cut.html,
            let document = htmlReadMemory(html, Int32(clamping: cut.html_length), url, nil, options)
        else { return nil }
        if marquee_rawtext_restore(UnsafeMutableRawPointer(document), &cut) == 0 { return document }
        // In an arena the discarded tree goes with the document's arena; otherwise free it now.
        if !inArena { xmlFreeDoc(document) }
        return nil
    }

    /// Whether libxml2 (through iconv) has a decoder for `name`. The handler it finds for iconv
    /// encodings is allocated per call, so it is closed again here.
    private static func libxmlCanDecode(_ name: String) -> Bool {
        guard let handler = xmlFindCharEncodingHandler(name) else { return false }
        xmlCharEncCloseFunc(handler)
        return true
    }

    /// The version of the libxml2 library Marquee is running on, as `2.9.14`.
    public static var libxmlVersion: String {
        let version = __xmlParserVersion().pointee.map { Int(String(cString: $0)) ?? 0 } ?? 0
        return "\(version / 10000).\(version / 100 % 100).\(version % 100)"
    }

    /// The whole document as a selector (the document node, so `css("html")` and `xpath("/html")` both work).
    public var root: Selector {
        Selector(document: self, content: .node(UnsafeMutableRawPointer(pointer).assumingMemoryBound(to: xmlNode.self)))
    }

    /// The text of `<title>`, whitespace-normalised; `nil` when the page has none or it is empty.
    public var title: String? {
        guard let text = try? xpath("//title").first?.text, !text.isEmpty else { return nil }
        return text
    }

    /// Runs an XPath 1.0 query from the document root. See ``Selector/xpath(_:)``.
    public func xpath(_ query: String) throws(QueryError) -> SelectorList { try root.xpath(query) }

    /// Runs a CSS query from the document root. See ``Selector/css(_:)``.
    public func css(_ query: String) throws(QueryError) -> SelectorList { try root.css(query) }

    /// The page's index for native CSS (see `marquee_css_index`); nil if it could not be built.
    var nativeCSSIndex: OpaquePointer? {
        if !cssIndexBuilt {
            cssIndexBuilt = true
            cssIndex = marquee_css_index_build(UnsafeMutableRawPointer(pointer))
        }
        return cssIndex
    }

    /// Evaluates `expression` with `node` as the context node.
    func evaluate(_ expression: String, at node: xmlNodePtr) throws(QueryError) -> [Selector.Content] {
        let context: xmlXPathContextPtr
        if let xpathContext {
            context = xpathContext
        } else {
            guard let created = xmlXPathNewContext(pointer) else {
                throw QueryError(
                    kind: .xpath, query: expression, message: "libxml2 could not allocate an XPath context")
            }
            marquee_xpath_silence(created)
            xpathContext = created
            context = created
        }
        context.pointee.node = node
        marquee_xml_silence_thread()
        let compiled = try XPathCache.shared.compiled(expression, context: context)
        defer { compiled.release() }
        xmlResetError(&context.pointee.lastError)
        guard let result = xmlXPathCompiledEval(compiled.pointer, context) else {
            throw QueryError(kind: .xpath, query: expression, libxmlError: context.pointee.lastError)
        }
        defer { xmlXPathFreeObject(result) }
        switch result.pointee.type {
        case XPATH_NODESET:
            let count = Int(marquee_xpath_nodeset_count(result))
            var contents: [Selector.Content] = []
            contents.reserveCapacity(count)
            for index in 0..<count {
                guard let item = marquee_xpath_nodeset_item(result, Int32(index)) else { continue }
                if item.pointee.type == XML_NAMESPACE_DECL {
                    // Namespace nodes are copies owned by the result object: keep their URI only.
                    let namespace = UnsafeMutableRawPointer(item).assumingMemoryBound(to: xmlNs.self)
                    contents.append(.value(namespace.pointee.href.map { String(cString: $0) } ?? ""))
                } else {
                    contents.append(.node(item))
                }
            }
            return contents
        case XPATH_STRING:
            return [.value(result.pointee.stringval.map { String(cString: $0) } ?? "")]
        case XPATH_NUMBER:
            let number = result.pointee.floatval
            return [.value(number.isNaN ? "NaN" : JSONValue.number(number).serialized())]
        case XPATH_BOOLEAN:
            return [.value(result.pointee.boolval != 0 ? "true" : "false")]
        default:
            return []
        }
    }
}
