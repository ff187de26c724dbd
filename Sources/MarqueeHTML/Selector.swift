import CLibXML2
import Foundation

/// One node (or one computed value) of an ``HTMLDocument``, queried in the manner of Parsel.
///
/// A selector wraps an element, text node or attribute, or a string/number/boolean that an XPath
/// expression computed. Queries chain: `doc.css("div.film").css("h1 ::text").get()`.
/// A selector keeps its document alive.
public struct Selector {
    enum Content {
        case node(xmlNodePtr)
        case value(String)
    }

    /// The document this selector belongs to.
    public let document: HTMLDocument
    let content: Content

    init(document: HTMLDocument, content: Content) {
        self.document = document
        self.content = content
    }

    /// Runs an XPath 1.0 expression with this node as the context node.
    ///
    /// Node-set results become one selector per node, in document order; string, number and
    /// boolean results become one value selector (`count(//a)` → `"3"`, booleans → `"true"`/`"false"`).
    /// On a value selector every query yields an empty list.
    /// - Throws: ``QueryError`` (kind `.xpath`) for malformed expressions, with the column libxml2 reports.
    public func xpath(_ query: String) throws(QueryError) -> SelectorList {
        guard case .node(let node) = content else { return SelectorList([]) }
        let contents = try document.evaluate(query, at: node)
        return SelectorList(contents.map { Selector(document: document, content: $0) })
    }

    /// Runs a CSS selector (compiled to XPath by ``CSSTranslator`` and cached) from this node.
    ///
    /// Supports Parsel's pseudo-elements `::text` and `::attr(name)`.
    /// - Throws: ``QueryError`` (kind `.css`) naming the unsupported or malformed token and its column.
    public func css(_ query: String) throws(QueryError) -> SelectorList {
        let translation = try CSSTranslator.shared.translation(for: query)
        if case .node(let node) = content, let native = translation.native, NativeCSS.canStart(at: node),
            let nodes = native.select(from: node, index: document.nativeCSSIndex)
        {
            return SelectorList(nodes.map { Selector(document: document, content: .node($0)) })
        }
        return try xpath(translation.xpath)
    }

    /// The CSS query answered through its XPath translation only (what ``css(_:)`` does for
    /// selectors without a native program); for checking the two agree.
    func cssThroughXPath(_ query: String) throws(QueryError) -> SelectorList {
        try xpath(CSSTranslator.shared.translation(for: query).xpath)
    }

    /// What Parsel's `get()` returns: the outer HTML of an element, the text of a text node,
    /// the value of an attribute, or the computed value.
    public func get() -> String {
        switch content {
        case .value(let value):
            return value
        case .node(let node):
            switch node.pointee.type {
            case XML_ELEMENT_NODE, XML_DOCUMENT_NODE, XML_HTML_DOCUMENT_NODE:
                return serialize(node)
            default:
                return rawText(node)
            }
        }
    }

    /// The node's text content (all descendant text) with runs of whitespace collapsed to one
    /// space and the ends trimmed; for a value selector, the value trimmed the same way.
    public var text: String {
        switch content {
        case .value(let value): normalizeWhitespace(value)
        case .node(let node): normalizeWhitespace(rawText(node))
        }
    }

    /// The text content exactly as in the page (XPath `string(.)`): all descendant text, whitespace kept.
    public var string: String {
        switch content {
        case .value(let value): value
        case .node(let node): rawText(node)
        }
    }

    /// The element's tag name in lower case (`"div"`); `nil` for text, attributes and values.
    public var name: String? {
        guard case .node(let node) = content, node.pointee.type == XML_ELEMENT_NODE, let name = node.pointee.name
        else { return nil }
        return String(cString: name)
    }

    /// The value of attribute `name` on this element, or `nil` when absent (or not an element).
    public func attribute(_ name: String) -> String? {
        guard case .node(let node) = content, node.pointee.type == XML_ELEMENT_NODE,
            let value = xmlGetProp(node, name)
        else { return nil }
        defer { marquee_xmlFree(value) }
        return String(cString: value)
    }

    /// All attributes of this element, in document order.
    public var attributes: [(name: String, value: String)] {
        guard case .node(let node) = content, node.pointee.type == XML_ELEMENT_NODE else { return [] }
        var result: [(name: String, value: String)] = []
        var cursor = node.pointee.properties
        while let current = cursor {
            let name = String(cString: current.pointee.name)
            result.append((name, self.attribute(name) ?? ""))
            cursor = current.pointee.next
        }
        return result
    }

    /// The 1-based source line of the node, as libxml2 recorded it (0 when unknown).
    public var line: Int {
        guard case .node(let node) = content else { return 0 }
        return Int(xmlGetLineNo(node))
    }

    /// Applies a regular expression to ``get()`` as Parsel's `re()` does: for each match, the
    /// group named `extract` if the pattern has one, else every capture group, else the whole
    /// match. HTML character references in the results are decoded.
    /// - Throws: ``QueryError`` (kind `.regex`) when `pattern` does not compile.
    public func re(_ pattern: String) throws(QueryError) -> [String] {
        try RegexMatcher(pattern).matches(in: get())
    }

    private func rawText(_ node: xmlNodePtr) -> String {
        switch node.pointee.type {
        case XML_TEXT_NODE, XML_CDATA_SECTION_NODE, XML_COMMENT_NODE:
            // Read in place: the commonest result (`::text`) needs no copy from libxml2.
            return node.pointee.content.map { String(cString: $0) } ?? ""
        case XML_ATTRIBUTE_NODE:
            if let child = node.pointee.children, child.pointee.next == nil, child.pointee.type == XML_TEXT_NODE {
                return child.pointee.content.map { String(cString: $0) } ?? ""
            }
        default:
            break
        }
        guard let content = xmlNodeGetContent(node) else { return "" }
        defer { marquee_xmlFree(content) }
        return String(cString: content)
    }

    private func serialize(_ node: xmlNodePtr) -> String {
        guard let buffer = xmlAllocOutputBuffer(nil) else { return "" }
        defer { xmlOutputBufferClose(buffer) }
        if node.pointee.type == XML_ELEMENT_NODE {
            htmlNodeDumpFormatOutput(buffer, document.pointer, node, "UTF-8", 0)
        } else {
            htmlDocContentDumpFormatOutput(buffer, document.pointer, "UTF-8", 0)
        }
        xmlOutputBufferFlush(buffer)
        guard let bytes = xmlOutputBufferGetContent(buffer) else { return "" }
        let count = Int(xmlOutputBufferGetSize(buffer))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }
}

/// Collapses every run of whitespace (including non-breaking spaces) to one space and trims the ends.
public func normalizeWhitespace(_ text: String) -> String {
    if text.utf8.allSatisfy({ $0 < 0x80 }) {
        // ASCII: collapse bytewise, no Unicode property lookups.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var pending = false
        for byte in text.utf8 {
            if byte == 0x20 || (0x09...0x0D).contains(byte) {
                pending = !bytes.isEmpty
            } else {
                if pending { bytes.append(0x20) }
                pending = false
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
    var result = ""
    result.reserveCapacity(text.utf8.count)
    var pendingSpace = false
    for scalar in text.unicodeScalars {
        if scalar.properties.isWhitespace {
            pendingSpace = !result.isEmpty
        } else {
            if pendingSpace { result.unicodeScalars.append(" ") }
            pendingSpace = false
            result.unicodeScalars.append(scalar)
        }
    }
    return result
}
