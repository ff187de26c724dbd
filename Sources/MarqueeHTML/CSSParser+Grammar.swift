import CMarqueeXML
import Synchronization

/// The selector grammar: selector lists, compounds, combinators, pseudo-classes and
/// `:nth-*` formulas, each translated to XPath as it is read.
extension CSSParser {
    mutating func parseSelectorList() throws(QueryError) -> CSSTranslation {
        var alternatives: [String] = []
        var native: [NativeCSS.Complex]? = []
        repeat {
            skipWhitespace()
            let (xpath, complex) = try complexSelector()
            alternatives.append(xpath)
            if let complex { native?.append(complex) } else { native = nil }
            skipWhitespace()
            guard let scalar = current else { break }
            guard scalar == "," else { throw error("unexpected '\(String(scalar))'") }
            index += 1
            skipWhitespace()
            if current == nil { throw error("selector list ends with ','", token: ",", at: index - 1) }
        } while true
        return CSSTranslation(
            xpath: alternatives.joined(separator: " | "), native: native.flatMap { NativeCSS(alternatives: $0) })
    }

    /// One complex selector's XPath, and its native form when it has one.
    mutating func complexSelector() throws(QueryError) -> (String, NativeCSS.Complex?) {
        guard current != nil else { throw error("empty selector", token: "") }
        var compound = try compoundSelector()
        var path =
            compound.isBare && compound.pseudoElement != nil
            ? "descendant-or-self::" + (compound.pseudoElement == "text()" ? "text()" : "*/\(compound.pseudoElement!)")
            : "descendant-or-self::" + compound.step + (compound.pseudoElement.map { "/" + $0 } ?? "")
        // The native form covers descendant and child combinators between compounds that are not
        // bare pseudo-elements (`::text` alone takes the XPath path).
        var native: [NativeCSS.Compound]? = []
        func appendNative(_ compound: CSSCompound, combinator: Int32) {
            guard let tests = compound.nativeTests, !(compound.isBare && compound.pseudoElement != nil) else {
                native = nil
                return
            }
            native?.append(
                NativeCSS.Compound(
                    element: compound.element == "*" ? nil : compound.element, tests: tests, combinator: combinator))
        }
        appendNative(compound, combinator: Int32(MARQUEE_CSS_FIRST))
        while true {
            let hadSpace = skipWhitespace()
            guard let scalar = current, scalar != "," else {
                let complex = native.map { compounds in
                    NativeCSS.Complex(
                        compounds: compounds,
                        yields: compound.pseudoElement.map {
                            $0 == "text()" ? .text : .attribute(String($0.dropFirst()))
                        }
                            ?? .elements)
                }
                return (path, complex)
            }
            var combinator = " "
            let combinatorPosition = index
            if scalar == ">" || scalar == "+" || scalar == "~" {
                combinator = String(scalar)
                index += 1
                skipWhitespace()
            } else if !hadSpace {
                throw error("unexpected '\(String(scalar))'")
            }
            if let pseudo = compound.pseudoElement {
                throw error("pseudo-element '::\(pseudo)' must end the selector", token: combinator, at: index - 1)
            }
            guard current != nil else {
                throw error("selector ends with combinator '\(combinator)'", token: combinator, at: combinatorPosition)
            }
            compound = try compoundSelector()
            path += Self.join(combinator, compound)
            switch combinator {
            case " ": appendNative(compound, combinator: Int32(MARQUEE_CSS_DESCENDANT))
            case ">": appendNative(compound, combinator: Int32(MARQUEE_CSS_CHILD))
            default: native = nil
            }
        }
    }

    static func join(_ combinator: String, _ compound: CSSCompound) -> String {
        let suffix = compound.pseudoElement.map { "/" + $0 } ?? ""
        if compound.isBare, let pseudo = compound.pseudoElement, combinator == " " || combinator == ">" {
            if combinator == ">" { return pseudo == "text()" ? "/text()" : "/*/\(pseudo)" }
            return pseudo == "text()" ? "/descendant-or-self::text()" : "/descendant-or-self::*/\(pseudo)"
        }
        switch combinator {
        case ">": return "/" + compound.step + suffix
        case "+": return "/following-sibling::*[1]/self::" + compound.step + suffix
        case "~": return "/following-sibling::" + compound.step + suffix
        // `descendant::B` equals cssselect's `descendant-or-self::*/B` because no condition here
        // depends on position(); it avoids building and merging one node set per ancestor.
        default: return "/descendant::" + compound.step + suffix
        }
    }

    mutating func compoundSelector(insideNot: Bool = false) throws(QueryError) -> CSSCompound {
        var compound = CSSCompound()
        let start = index
        if current == "*" {
            index += 1
        } else if startsIdentifier() {
            compound.element = try identifier("an element name").lowercased()
        }
        loop: while let scalar = current {
            switch scalar {
            case "#":
                index += 1
                let id = try identifier("an id after '#'")
                compound.conditions.append("@id = \(xpathLiteral(id))")
                compound.nativeTests?.append(.init(name: "id", operation: MARQUEE_CSS_EQUALS, value: id))
            case ".":
                index += 1
                let name = try identifier("a class name after '.'")
                compound.conditions.append(
                    "@class and contains(concat(' ', normalize-space(@class), ' '), \(xpathLiteral(" \(name) ")))")
                compound.nativeTests?.append(.init(name: "class", operation: MARQUEE_CSS_TOKEN, value: name))
            case "[":
                let (condition, test) = try attributeSelector()
                compound.conditions.append(condition)
                if let test { compound.nativeTests?.append(test) } else { compound.nativeTests = nil }
            case ":":
                if peek(1) == ":" {
                    if insideNot { throw error("pseudo-elements are not allowed inside :not()", token: "::") }
                    compound.pseudoElement = try pseudoElement()
                    break loop
                }
                compound.conditions.append(try pseudoClass(element: compound.element))
                compound.nativeTests = nil
            default:
                break loop
            }
        }
        if index == start {
            throw error("expected a selector, found '\(current.map { String($0) } ?? "")'")
        }
        return compound
    }

    /// An attribute selector's XPath condition and its native test (nil where the native
    /// comparison could differ from XPath's: `$=` with a non-ASCII value).
    mutating func attributeSelector() throws(QueryError) -> (String, NativeCSS.Test?) {
        let open = index
        index += 1
        skipWhitespace()
        let name = try identifier("an attribute name").lowercased()
        skipWhitespace()
        let attribute = "@\(name)"
        guard let scalar = current else { throw error("missing ']'", token: "[", at: open) }
        if scalar == "]" {
            index += 1
            return (attribute, NativeCSS.Test(name: name, operation: MARQUEE_CSS_EXISTS, value: ""))
        }
        var op = ""
        if scalar == "=" {
            op = "="
            index += 1
        } else if "~^$*|".unicodeScalars.contains(scalar), peek(1) == "=" {
            op = String(scalar) + "="
            index += 2
        } else {
            throw error("unsupported attribute operator '\(String(scalar))'")
        }
        skipWhitespace()
        let value: String
        if current == "\"" || current == "'" {
            value = try quotedString()
        } else {
            value = try identifier("an attribute value (quote it if it is not an identifier)")
        }
        skipWhitespace()
        var caseInsensitive = false
        if current == "i" || current == "I" || current == "s" || current == "S" {
            caseInsensitive = current == "i" || current == "I"
            index += 1
            skipWhitespace()
        }
        guard current == "]" else {
            throw current == nil ? error("missing ']'", token: "[", at: open) : error("expected ']'")
        }
        index += 1
        let subject = caseInsensitive ? Self.lowercased(attribute) : attribute
        let literal = xpathLiteral(caseInsensitive ? value.lowercased() : value)
        let condition = Self.attributeCondition(
            op, attribute: attribute, subject: subject, literal: literal, value: value, caseInsensitive: caseInsensitive
        )
        let operation: marquee_css_operator? =
            switch op {
            case "=": MARQUEE_CSS_EQUALS
            case "~=": value.isEmpty || value.contains(" ") ? MARQUEE_CSS_NEVER : MARQUEE_CSS_TOKEN
            case "^=": value.isEmpty ? MARQUEE_CSS_NEVER : MARQUEE_CSS_PREFIX
            case "$=":
                value.isEmpty ? MARQUEE_CSS_NEVER : value.utf8.allSatisfy { $0 < 0x80 } ? MARQUEE_CSS_SUFFIX : nil
            case "*=": value.isEmpty ? MARQUEE_CSS_NEVER : MARQUEE_CSS_CONTAINS
            default: MARQUEE_CSS_DASH
            }
        let test = operation.map {
            NativeCSS.Test(
                name: name, operation: $0, value: caseInsensitive ? value.lowercased() : value,
                ignoreCase: caseInsensitive)
        }
        return (condition, test)
    }

    static func attributeCondition(
        _ op: String, attribute: String, subject: String, literal: String, value: String, caseInsensitive: Bool
    ) -> String {
        switch op {
        case "=": return "\(subject) = \(literal)"
        case "~=":
            if value.isEmpty || value.contains(" ") { return "false()" }
            return
                "\(attribute) and contains(concat(' ', normalize-space(\(subject)), ' '), \(xpathLiteral(" \(caseInsensitive ? value.lowercased() : value) ")))"
        case "^=": return value.isEmpty ? "false()" : "\(attribute) and starts-with(\(subject), \(literal))"
        case "$=":
            return value.isEmpty
                ? "false()"
                : "\(attribute) and substring(\(subject), string-length(\(subject)) - \(value.count - 1)) = \(literal)"
        case "*=": return value.isEmpty ? "false()" : "\(attribute) and contains(\(subject), \(literal))"
        default:  // |=
            let dashed = xpathLiteral((caseInsensitive ? value.lowercased() : value) + "-")
            return "\(attribute) and (\(subject) = \(literal) or starts-with(\(subject), \(dashed)))"
        }
    }

    static func lowercased(_ expression: String) -> String {
        "translate(\(expression), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"
    }

    mutating func pseudoElement() throws(QueryError) -> String {
        let start = index
        index += 2
        let name = try identifier("a pseudo-element name after '::'").lowercased()
        switch name {
        case "text":
            return "text()"
        case "attr":
            guard current == "(" else {
                throw error("::attr needs an attribute name: ::attr(href)", token: "::attr", at: start)
            }
            index += 1
            skipWhitespace()
            let attribute = try identifier("an attribute name in ::attr()").lowercased()
            skipWhitespace()
            guard current == ")" else { throw error("expected ')' after ::attr(\(attribute)") }
            index += 1
            return "@\(attribute)"
        default:
            throw error(
                "unsupported pseudo-element '::\(name)' (Marquee supports ::text and ::attr(name))", token: "::\(name)",
                at: start)
        }
    }

    mutating func pseudoClass(element: String) throws(QueryError) -> String {
        let start = index
        index += 1
        let name = try identifier("a pseudo-class name after ':'").lowercased()
        let token = ":\(name)"
        func needsType() throws(QueryError) -> String {
            guard element != "*" else {
                throw error("\(token) needs an element name before it (e.g. p\(token))", token: token, at: start)
            }
            return element
        }
        if current == "(" {
            index += 1
            switch name {
            case "not":
                skipWhitespace()
                var tests: [String] = []
                repeat {
                    skipWhitespace()
                    tests.append(try compoundSelector(insideNot: true).test)
                    skipWhitespace()
                    if current == "," { index += 1 } else { break }
                } while true
                guard current == ")" else {
                    throw error("expected ')' to close :not( — only simple and compound selectors are allowed inside")
                }
                index += 1
                return "not(\(tests.joined(separator: " or ")))"
            case "contains":
                skipWhitespace()
                guard current == "\"" || current == "'" else { throw error(":contains() needs a quoted string") }
                let text = try quotedString()
                skipWhitespace()
                guard current == ")" else { throw error("expected ')' after :contains(\"…\")") }
                index += 1
                return "contains(string(.), \(xpathLiteral(text)))"
            case "nth-child", "nth-last-child", "nth-of-type", "nth-last-of-type":
                let argumentStart = index
                let argument = try argumentText()
                guard let (a, b) = Self.parseNth(argument) else {
                    throw error("cannot read '\(argument)' as an+b, odd or even", token: argument, at: argumentStart)
                }
                let axis = name.contains("last") ? "following-sibling" : "preceding-sibling"
                let test = name.hasSuffix("of-type") ? try needsType() : "*"
                return Self.nth(position: "(count(\(axis)::\(test)) + 1)", a: a, b: b)
            default:
                throw error("unsupported pseudo-class '\(token)()'", token: token, at: start)
            }
        }
        switch name {
        case "first-child": return "count(preceding-sibling::*) = 0"
        case "last-child": return "count(following-sibling::*) = 0"
        case "only-child": return "count(preceding-sibling::*) = 0 and count(following-sibling::*) = 0"
        case "first-of-type": return "count(preceding-sibling::\(try needsType())) = 0"
        case "last-of-type": return "count(following-sibling::\(try needsType())) = 0"
        case "only-of-type":
            let type = try needsType()
            return "count(preceding-sibling::\(type)) = 0 and count(following-sibling::\(type)) = 0"
        case "empty": return "not(*) and not(string-length())"
        case "root": return "not(parent::*)"
        case "not", "nth-child", "nth-last-child", "nth-of-type", "nth-last-of-type", "contains":
            throw error("\(token) needs an argument in parentheses", token: token, at: start)
        default:
            throw error("unsupported pseudo-class '\(token)'", token: token, at: start)
        }
    }

    /// Reads `an+b`, `odd`, `even`, `3`, `-n+2` (spaces allowed around the sign).
    static func parseNth(_ text: String) -> (Int, Int)? {
        let compact = text.lowercased().filter { !$0.isWhitespace }
        if compact == "odd" { return (2, 1) }
        if compact == "even" { return (2, 0) }
        guard let n = compact.firstIndex(of: "n") else { return Int(compact).map { (0, $0) } }
        let aText = compact[..<n]
        let bText = compact[compact.index(after: n)...]
        let a: Int
        switch aText {
        case "", "+": a = 1
        case "-": a = -1
        default:
            guard let parsed = Int(aText) else { return nil }
            a = parsed
        }
        if bText.isEmpty { return (a, 0) }
        guard bText.first == "+" || bText.first == "-", let b = Int(bText) else { return nil }
        return (a, b)
    }

    /// The XPath test for "position is a·n + b for some n ≥ 0".
    static func nth(position p: String, a: Int, b: Int) -> String {
        if a == 0 { return "\(p) = \(b)" }
        if a > 0 {
            let modulo = b > 0 ? "(\(p) - \(b)) mod \(a) = 0" : "(\(p) + \(-b)) mod \(a) = 0"
            return b > 1 ? "\(p) >= \(b) and \(modulo)" : modulo
        }
        return "\(p) <= \(b) and (\(b) - \(p)) mod \(-a) = 0"
    }
}
