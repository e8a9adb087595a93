//! SVG drawings (logos above all), taken only after a strict check and
//! written anew from what was checked.
//!
//! An SVG is a program as much as a picture: it may hold script, event
//! handlers, links to other hosts, embedded HTML, animations that rewrite
//! links, and style sheets that load from elsewhere. An upload is parsed as
//! XML (no entity declarations, bounded in size, depth and node count),
//! every element of the SVG namespace is held against a list of drawing
//! elements and every attribute and style text against what may run or
//! load; anything that could is refused with its name. What passes is
//! serialised again from the parsed tree, leaving out comments, processing
//! instructions, the doctype, metadata and the private elements and
//! attributes of drawing programs (Inkscape, Illustrator, …), so no byte of
//! the upload reaches a browser unread.

use std::fmt::Write as _;

use roxmltree::{Document, Node, ParsingOptions};

use crate::{FileType, PrepareError, Prepared};

/// Largest SVG accepted, in bytes.
pub const MAX_SVG_BYTES: usize = 2 * 1024 * 1024;
/// Most XML nodes an SVG may have.
pub(crate) const MAX_NODES: u32 = 100_000;
/// Deepest nesting of elements.
pub(crate) const MAX_DEPTH: usize = 64;
/// Largest side a drawing is given, in CSS pixels (larger ones are scaled
/// down, keeping their proportions: only the proportions matter to a
/// drawing).
const MAX_SIDE: f64 = 10_000.0;

const SVG_NS: &str = "http://www.w3.org/2000/svg";
const XLINK_NS: &str = "http://www.w3.org/1999/xlink";
const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// The elements a drawing may use: shapes, text, grouping, paint servers,
/// clipping, masking and filters. Not `script`, `foreignObject`, the
/// animation elements (they can rewrite a link), `a`, `iframe`, `video`…
const ALLOWED: &[&str] = &[
    "svg",
    "g",
    "defs",
    "symbol",
    "use",
    "title",
    "desc",
    "path",
    "rect",
    "circle",
    "ellipse",
    "line",
    "polyline",
    "polygon",
    "text",
    "tspan",
    "textPath",
    "linearGradient",
    "radialGradient",
    "stop",
    "pattern",
    "clipPath",
    "mask",
    "marker",
    "style",
    "image",
    "switch",
    "filter",
    "feBlend",
    "feColorMatrix",
    "feComponentTransfer",
    "feComposite",
    "feConvolveMatrix",
    "feDiffuseLighting",
    "feDisplacementMap",
    "feDistantLight",
    "feDropShadow",
    "feFlood",
    "feFuncA",
    "feFuncB",
    "feFuncG",
    "feFuncR",
    "feGaussianBlur",
    "feMerge",
    "feMergeNode",
    "feMorphology",
    "feOffset",
    "fePointLight",
    "feSpecularLighting",
    "feSpotLight",
    "feTile",
    "feTurbulence",
];

/// Elements of the SVG namespace left out of the copy: they describe the
/// file and draw nothing.
const DROPPED: &[&str] = &["metadata"];

/// Judges an SVG upload and returns its clean copy with its size in CSS
/// pixels.
pub(crate) fn prepare(bytes: &[u8]) -> Result<Prepared, PrepareError> {
    if bytes.len() > MAX_SVG_BYTES {
        return Err(PrepareError::SvgTooLarge {
            max_bytes: MAX_SVG_BYTES,
        });
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|_| PrepareError::SvgEncoding)?;
    // A doctype passes (drawing programs write one; nothing is fetched),
    // entity declarations do not: no entity is ever expanded.
    if text.contains("<!ENTITY") {
        return Err(PrepareError::SvgUnsafe {
            what: "erklæringer af entiteter (<!ENTITY …>)".into(),
        });
    }
    let options = ParsingOptions {
        allow_dtd: true,
        nodes_limit: MAX_NODES,
        ..ParsingOptions::default()
    };
    let document = Document::parse_with_options(text, options).map_err(|e| match e {
        roxmltree::Error::NodesLimitReached => PrepareError::SvgTooComplex,
        _ => PrepareError::Damaged,
    })?;
    let root = document.root_element();
    if root.tag_name().name() != "svg" || !is_svg(root) {
        return Err(PrepareError::Unsupported);
    }
    let mut out = String::with_capacity(text.len());
    let mut writer = Writer {
        out: &mut out,
        xlink: false,
    };
    writer.element(root, 0)?;
    let uses_xlink = writer.xlink;
    let (width, height) = size(root).ok_or(PrepareError::SvgNoSize)?;
    let namespaces = if uses_xlink {
        format!(" xmlns=\"{SVG_NS}\" xmlns:xlink=\"{XLINK_NS}\"")
    } else {
        format!(" xmlns=\"{SVG_NS}\"")
    };
    // The root's name is followed by its namespace declarations.
    out.insert_str("<svg".len(), &namespaces);
    Ok(Prepared::Image {
        file_type: FileType::Svg,
        bytes: out.into_bytes(),
        width,
        height,
    })
}

/// In the SVG namespace (or in none, as a bare `<svg>` without `xmlns` is
/// meant).
fn is_svg(node: Node) -> bool {
    matches!(node.tag_name().namespace(), None | Some(SVG_NS))
}

struct Writer<'a> {
    out: &'a mut String,
    /// An `xlink:href` was written: the root declares the namespace.
    xlink: bool,
}

impl Writer<'_> {
    fn element(&mut self, node: Node, depth: usize) -> Result<(), PrepareError> {
        if depth > MAX_DEPTH {
            return Err(PrepareError::SvgTooComplex);
        }
        let name = node.tag_name().name();
        if !is_svg(node) || DROPPED.contains(&name) {
            // A drawing program's own element (or RDF metadata): left out
            // with everything inside it.
            return Ok(());
        }
        if !ALLOWED.contains(&name) {
            return Err(PrepareError::SvgUnsafe {
                what: format!("elementet <{name}>"),
            });
        }
        self.out.push('<');
        self.out.push_str(name);
        for attribute in node.attributes() {
            let prefix = match attribute.namespace() {
                None => "",
                Some(XLINK_NS) => "xlink:",
                Some(XML_NS) => "xml:",
                // Another program's attribute (inkscape:label, …).
                Some(_) => continue,
            };
            let (attr, value) = (attribute.name(), attribute.value());
            check_attribute(name, attr, value)?;
            if prefix == "xlink:" {
                self.xlink = true;
            }
            let _ = write!(self.out, " {prefix}{attr}=\"{}\"", escape(value, true));
        }
        if name == "style" {
            let css: String = node.children().filter_map(|c| c.text()).collect();
            check_css(&css)?;
        }
        let mut children = node.children().peekable();
        if children.peek().is_none() {
            self.out.push_str("/>");
            return Ok(());
        }
        self.out.push('>');
        for child in children {
            if child.is_element() {
                self.element(child, depth + 1)?;
            } else if child.is_text() {
                self.out
                    .push_str(&escape(child.text().unwrap_or_default(), false));
            }
            // Comments and processing instructions are left out.
        }
        let _ = write!(self.out, "</{name}>");
        Ok(())
    }
}

/// Refuses an attribute that could run or load something.
fn check_attribute(element: &str, name: &str, value: &str) -> Result<(), PrepareError> {
    let unsafe_because = |what: String| Err(PrepareError::SvgUnsafe { what });
    if name.len() > 2 && name[..2].eq_ignore_ascii_case("on") {
        return unsafe_because(format!("hændelsen {name}=\"…\" på <{element}>"));
    }
    let folded = fold(value);
    if folded.contains("javascript:") || folded.contains("vbscript:") {
        return unsafe_because(format!("et javascript:-link i {name}=\"…\""));
    }
    if name == "href" {
        let internal = value.trim_start().starts_with('#');
        let embedded_image = element == "image" && is_raster_data_uri(value);
        if !internal && !embedded_image {
            return unsafe_because(format!(
                "en henvisning til en anden fil ({name}=\"{}\")",
                shorten(value)
            ));
        }
        return Ok(());
    }
    if name == "style" {
        return check_css(value);
    }
    if folded.contains("url(") && !only_local_urls(&folded) {
        return unsafe_because(format!(
            "en henvisning til en anden fil i {name}=\"{}\"",
            shorten(value)
        ));
    }
    Ok(())
}

/// Refuses style text that could load something or hide what it does.
fn check_css(css: &str) -> Result<(), PrepareError> {
    let folded = fold(css);
    let what = if css.contains('\\') {
        Some("tegn skrevet med \\ i en stilregel")
    } else if folded.contains("@import") {
        Some("@import i en stilregel")
    } else if folded.contains("expression(") {
        Some("expression() i en stilregel")
    } else if folded.contains("javascript:") {
        Some("et javascript:-link i en stilregel")
    } else if !only_local_urls(&folded) {
        Some("url() til en anden fil i en stilregel")
    } else {
        None
    };
    match what {
        Some(what) => Err(PrepareError::SvgUnsafe { what: what.into() }),
        None => Ok(()),
    }
}

/// Lower case, without whitespace or control characters (which browsers
/// skip inside `java script:` and `u rl(`).
fn fold(value: &str) -> String {
    value
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether every `url(…)` in `folded` (see [`fold`]) points inside the
/// drawing (`url(#id)`, quoted or not).
fn only_local_urls(folded: &str) -> bool {
    folded.match_indices("url(").all(|(at, _)| {
        let rest = folded[at + "url(".len()..].trim_start_matches(['"', '\'']);
        rest.starts_with('#')
    })
}

/// An embedded raster image: `data:image/png;base64,…` (or JPEG, GIF, WebP).
fn is_raster_data_uri(value: &str) -> bool {
    let folded = fold(value);
    ["png", "jpeg", "jpg", "gif", "webp"]
        .iter()
        .any(|kind| folded.starts_with(&format!("data:image/{kind};base64,")))
}

fn shorten(value: &str) -> String {
    let short: String = value.chars().take(60).collect();
    if short.len() < value.len() {
        format!("{short}…")
    } else {
        short
    }
}

/// Text for XML: `&`, `<` and `>` escaped, and in an attribute `"` too.
fn escape(text: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

/// The drawing's size in CSS pixels: its `width` and `height` in absolute
/// units, or else its `viewBox` (a missing side follows the proportions of
/// the other), at most [`MAX_SIDE`] on its longer side.
fn size(root: Node) -> Option<(u32, u32)> {
    let view_box = root.attribute("viewBox").and_then(view_box);
    let width = root.attribute("width").and_then(length);
    let height = root.attribute("height").and_then(length);
    let (w, h) = match (width, height, view_box) {
        (Some(w), Some(h), _) => (w, h),
        (Some(w), None, Some((vw, vh))) => (w, w * vh / vw),
        (None, Some(h), Some((vw, vh))) => (h * vw / vh, h),
        (_, _, Some(size)) => size,
        _ => return None,
    };
    if !(w.is_finite() && h.is_finite() && w > 0.0 && h > 0.0) {
        return None;
    }
    let scale = (MAX_SIDE / w.max(h)).min(1.0);
    let side = |x: f64| (x * scale).round().clamp(1.0, MAX_SIDE) as u32;
    Some((side(w), side(h)))
}

/// The width and height of a `viewBox="min-x min-y width height"`.
fn view_box(value: &str) -> Option<(f64, f64)> {
    let numbers: Vec<f64> = value
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|part| !part.is_empty())
        .map(str::parse)
        .collect::<Result<_, _>>()
        .ok()?;
    match numbers[..] {
        [_, _, w, h] if w > 0.0 && h > 0.0 => Some((w, h)),
        _ => None,
    }
}

/// A length in CSS pixels; `None` for a percentage or an unknown unit.
fn length(value: &str) -> Option<f64> {
    let value = value.trim();
    let split = value
        .find(|c: char| c.is_ascii_alphabetic() || c == '%')
        .unwrap_or(value.len());
    let (number, unit) = value.split_at(split);
    let number: f64 = number.trim().parse().ok()?;
    let per_unit = match unit.to_ascii_lowercase().as_str() {
        "" | "px" => 1.0,
        "pt" => 96.0 / 72.0,
        "pc" => 16.0,
        "in" => 96.0,
        "cm" => 96.0 / 2.54,
        "mm" => 96.0 / 25.4,
        _ => return None,
    };
    Some(number * per_unit).filter(|px| *px > 0.0)
}
