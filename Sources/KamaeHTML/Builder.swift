/// Lets pages be written as nested blocks with `if`, `for` and optional content.
@resultBuilder
public enum HTMLBuilder {
    public static func buildExpression(_ expression: HTML) -> [HTML] { [expression] }
    public static func buildExpression(_ expression: [HTML]) -> [HTML] { expression }
    public static func buildExpression(_ expression: String) -> [HTML] { [.text(expression)] }
    public static func buildBlock(_ components: [HTML]...) -> [HTML] { components.flatMap { $0 } }
    public static func buildOptional(_ component: [HTML]?) -> [HTML] { component ?? [] }
    public static func buildEither(first component: [HTML]) -> [HTML] { component }
    public static func buildEither(second component: [HTML]) -> [HTML] { component }
    public static func buildArray(_ components: [[HTML]]) -> [HTML] { components.flatMap { $0 } }
    public static func buildLimitedAvailability(_ component: [HTML]) -> [HTML] { component }
}

extension HTML {
    /// Any element with content.
    public static func element(_ name: StaticString, _ attributes: [Attribute] = [], @HTMLBuilder _ content: () -> [HTML] = { [] }) -> HTML {
        HTML(.element(name: "\(name)", attributes: attributes, children: content()))
    }

    /// An element without content or closing tag (input, meta, link, br).
    public static func void(_ name: StaticString, _ attributes: [Attribute] = []) -> HTML {
        HTML(.void(name: "\(name)", attributes: attributes))
    }

    public static func group(@HTMLBuilder _ content: () -> [HTML]) -> HTML { .fragment(content()) }
}

/// Common elements, named as in HTML.
public func div(_ attributes: Attribute..., @HTMLBuilder content: () -> [HTML] = { [] }) -> HTML { .element("div", attributes, content) }
public func span(_ attributes: Attribute..., @HTMLBuilder content: () -> [HTML] = { [] }) -> HTML { .element("span", attributes, content) }
public func p(_ attributes: Attribute..., @HTMLBuilder content: () -> [HTML] = { [] }) -> HTML { .element("p", attributes, content) }
public func a(_ attributes: Attribute..., @HTMLBuilder content: () -> [HTML] = { [] }) -> HTML { .element("a", attributes, content) }
public func h1(_ attributes: Attribute..., @HTMLBuilder content: () -> [HTML] = { [] }) -> HTML { .element("h1", attributes, content) }
public func h2(_ attributes: Attribute..., @HTMLBuilder content: () -> [HTML] = { [] }) -> HTML { .element("h2", attributes, content) }
public func h3(_ attributes: Attribute..., @HTMLBuilder content: () -> [HTML] = { [] }) -> HTML { .element("h3", attributes, content) }
public func ul(_ attributes: Attribute..., @HTMLBuilder content: () -> [HTML] = { [] }) -> HTML { .element("ul", attributes, content) }
public func ol(_ attributes: Attribute..., @HTMLBuilder content: () -> [HTML] = { [] }) -> HTML { .element("ol", attributes, content) }
public func li(_ attributes: Attribute..., @HTMLBuilder content: () -> [HTML] = { [] }) -> HTML { .element("li", attributes, content) }
public func nav(_ attributes: Attribute..., @HTMLBuilder content: () -> [HTML] = { [] }) -> HTML { .element("nav", attributes, content) }
public func header(_ attributes: Attribute..., @HTMLBuilder content: () -> [HTML] = { [] }) -> HTML { .element("header", attributes, content) }
public func footer(_ attributes: Attribute..., @HTMLBuilder content: () -> [HTML] = { [] }) -> HTML { .element("footer", attributes, content) }
public func main(_ attributes: Attribute..., @HTMLBuilder content: () -> [HTML] = { [] }) -> HTML { .element("main", attributes, content) }
public func section(_ attributes: Attribute..., @HTMLBuilder content: () -> [HTML] = { [] }) -> HTML { .element("section", attributes, content) }
public func article(_ attributes: Attribute..., @HTMLBuilder content: () -> [HTML] = { [] }) -> HTML { .element("article", attributes, content) }
public func aside(_ attributes: Attribute..., @HTMLBuilder content: () -> [HTML] = { [] }) -> HTML { .element("aside", attributes, content) }
public func form(_ attributes: Attribute..., @HTMLBuilder content: () -> [HTML] = { [] }) -> HTML { .element("form", attributes, content) }
public func label(_ attributes: Attribute..., @HTMLBuilder content: () -> [HTML] = { [] }) -> HTML { .element("label", attributes, content) }
public func button(_ attributes: Attribute..., @HTMLBuilder content: () -> [HTML] = { [] }) -> HTML { .element("button", attributes, content) }
public func select(_ attributes: Attribute..., @HTMLBuilder content: () -> [HTML] = { [] }) -> HTML { .element("select", attributes, content) }
public func option(_ attributes: Attribute..., @HTMLBuilder content: () -> [HTML] = { [] }) -> HTML { .element("option", attributes, content) }
public func table(_ attributes: Attribute..., @HTMLBuilder content: () -> [HTML] = { [] }) -> HTML { .element("table", attributes, content) }
public func thead(_ attributes: Attribute..., @HTMLBuilder content: () -> [HTML] = { [] }) -> HTML { .element("thead", attributes, content) }
public func tbody(_ attributes: Attribute..., @HTMLBuilder content: () -> [HTML] = { [] }) -> HTML { .element("tbody", attributes, content) }
public func tr(_ attributes: Attribute..., @HTMLBuilder content: () -> [HTML] = { [] }) -> HTML { .element("tr", attributes, content) }
public func th(_ attributes: Attribute..., @HTMLBuilder content: () -> [HTML] = { [] }) -> HTML { .element("th", attributes, content) }
public func td(_ attributes: Attribute..., @HTMLBuilder content: () -> [HTML] = { [] }) -> HTML { .element("td", attributes, content) }
public func strong(_ attributes: Attribute..., @HTMLBuilder content: () -> [HTML] = { [] }) -> HTML { .element("strong", attributes, content) }
public func small(_ attributes: Attribute..., @HTMLBuilder content: () -> [HTML] = { [] }) -> HTML { .element("small", attributes, content) }
public func code(_ attributes: Attribute..., @HTMLBuilder content: () -> [HTML] = { [] }) -> HTML { .element("code", attributes, content) }
public func details(_ attributes: Attribute..., @HTMLBuilder content: () -> [HTML] = { [] }) -> HTML { .element("details", attributes, content) }
public func summary(_ attributes: Attribute..., @HTMLBuilder content: () -> [HTML] = { [] }) -> HTML { .element("summary", attributes, content) }
public func dl(_ attributes: Attribute..., @HTMLBuilder content: () -> [HTML] = { [] }) -> HTML { .element("dl", attributes, content) }
public func dt(_ attributes: Attribute..., @HTMLBuilder content: () -> [HTML] = { [] }) -> HTML { .element("dt", attributes, content) }
public func dd(_ attributes: Attribute..., @HTMLBuilder content: () -> [HTML] = { [] }) -> HTML { .element("dd", attributes, content) }
public func input(_ attributes: Attribute...) -> HTML { .void("input", attributes) }
public func meta(_ attributes: Attribute...) -> HTML { .void("meta", attributes) }
public func link(_ attributes: Attribute...) -> HTML { .void("link", attributes) }
public func br() -> HTML { .void("br") }

extension Attribute {
    public static func `class`(_ value: String) -> Attribute { Attribute("class", value) }
    public static func id(_ value: String) -> Attribute { Attribute("id", value) }
    public static func href(_ value: String) -> Attribute { Attribute("href", value) }
    public static func src(_ value: String) -> Attribute { Attribute("src", value) }
    public static func action(_ value: String) -> Attribute { Attribute("action", value) }
    public static func method(_ value: String) -> Attribute { Attribute("method", value) }
    public static func name(_ value: String) -> Attribute { Attribute("name", value) }
    public static func type(_ value: String) -> Attribute { Attribute("type", value) }
    public static func value(_ value: String) -> Attribute { Attribute("value", value) }
    public static func title(_ value: String) -> Attribute { Attribute("title", value) }
    public static func lang(_ value: String) -> Attribute { Attribute("lang", value) }
    public static func rel(_ value: String) -> Attribute { Attribute("rel", value) }
    public static func `for`(_ value: String) -> Attribute { Attribute("for", value) }
    public static func placeholder(_ value: String) -> Attribute { Attribute("placeholder", value) }
    public static func role(_ value: String) -> Attribute { Attribute("role", value) }
    public static func aria(_ name: StaticString, _ value: String) -> Attribute { Attribute("aria-\(name)", value) }
    public static func data(_ name: StaticString, _ value: String) -> Attribute { Attribute("data-\(name)", value) }
    /// A boolean attribute such as `checked` or `selected`.
    public static func flag(_ name: StaticString) -> Attribute { Attribute("\(name)", nil) }
    public static func attr(_ name: StaticString, _ value: String) -> Attribute { Attribute("\(name)", value) }
}

extension HTML {
    /// A full page: doctype plus the html element.
    public static func document(lang: String, @HTMLBuilder head: () -> [HTML], @HTMLBuilder body: () -> [HTML]) -> HTML {
        .fragment([
            .trusted("<!DOCTYPE html>"),
            .element("html", [.lang(lang)]) {
                HTML.element("head", [], head)
                HTML.element("body", [], body)
            },
        ])
    }
}
