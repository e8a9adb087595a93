//! Article bodies: `markup::render` (CommonMark and the `:::` blocks).
//!
//! For any text: no panic; the same output twice; and the output holds only
//! the elements and attributes the sanitizer allows (plus the inert `title`
//! and `lang` on any of them, see `check_attribute`): no script, iframe,
//! object, embed, svg, style or img, no `on…` handler, no URL with a scheme
//! other than http, https, mailto or tel. The output fed back in as a body
//! (raw HTML passes through CommonMark) must be just as clean.
//!
//! The checker is a small scan of the serialized HTML, written from the
//! policy, not from ammonia: every `<` in the output must open or close an
//! allowed tag, with allowed attributes only, each `name="value"`.

#![no_main]

use libfuzzer_sys::fuzz_target;
use raadhus_domain::markup::{self, render};

/// What the sanitizer allows, as `markup` declares it. Whatever the list
/// says, a script, frame, object, style, image or SVG never passes.
const TAGS: &[&str] = markup::BODY_TAGS;
const SCHEMES: &[&str] = markup::LINK_SCHEMES;
const NEVER: &[&str] = &[
    "script", "iframe", "frame", "object", "embed", "svg", "math", "style", "img", "base", "form",
];

fuzz_target!(|text: &str| {
    let html = render(text);
    if let Err(problem) = check(&html) {
        panic!("unsafe output: {problem}\ninput: {text:?}\noutput: {html:?}");
    }
    assert_eq!(
        render(text),
        html,
        "render is not deterministic for {text:?}"
    );

    let again = render(&html);
    if let Err(problem) = check(&again) {
        panic!("unsafe output on re-render: {problem}\ninput: {html:?}\noutput: {again:?}");
    }
});

/// Checks every tag of `html`.
fn check(html: &str) -> Result<(), String> {
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        rest = check_tag(&rest[lt + 1..])?;
    }
    Ok(())
}

/// Checks one tag, `s` being what follows its `<`; returns what follows its `>`.
fn check_tag(s: &str) -> Result<&str, String> {
    let (closing, s) = match s.strip_prefix('/') {
        Some(after) => (true, after),
        None => (false, s),
    };
    let name_len = s.bytes().take_while(u8::is_ascii_alphanumeric).count();
    let (name, mut s) = s.split_at(name_len);
    if name.is_empty() {
        return Err(format!("a '<' that opens no tag, before {:?}", head(s)));
    }
    if NEVER.contains(&name) || !TAGS.contains(&name) {
        return Err(format!("element <{name}>"));
    }
    loop {
        if let Some(after) = s.strip_prefix('>') {
            return Ok(after);
        }
        let Some(after) = s.strip_prefix(' ').filter(|_| !closing) else {
            return Err(format!("malformed tag <{name}> at {:?}", head(s)));
        };
        let attr_len = after.find('=').ok_or("attribute without a value")?;
        let attr = &after[..attr_len];
        let quoted = after[attr_len + 1..]
            .strip_prefix('"')
            .ok_or_else(|| format!("unquoted attribute {attr:?}"))?;
        let value_len = quoted.find('"').ok_or("unterminated attribute value")?;
        check_attribute(name, attr, &unescape(&quoted[..value_len]))?;
        s = &quoted[value_len + 1..];
    }
}

fn check_attribute(tag: &str, attr: &str, value: &str) -> Result<(), String> {
    if attr.to_ascii_lowercase().starts_with("on") {
        return Err(format!("event handler {attr} on <{tag}>"));
    }
    match (tag, attr) {
        // Plain text to a browser, whatever the value. `title` and `lang`
        // are ammonia's default generic attributes, which `Builder::empty()`
        // keeps: they pass on every allowed element.
        (_, "title" | "lang") | ("ol", "start") => Ok(()),
        // The blocks' fixed classes, names and ids (a fold-out's id is a slug).
        ("details", "class") if value == "foldeud" => Ok(()),
        ("section", "class") if value == "faktaboks" => Ok(()),
        ("p", "class") if value == "faktaboks__titel" => Ok(()),
        ("address", "class") if value == "kontakt" => Ok(()),
        ("p", "class") if value == "contact__name" => Ok(()),
        ("span", "class") if value == "visually-hidden" => Ok(()),
        ("section", "aria-label") if value.starts_with("Faktaboks") => Ok(()),
        ("details" | "p" | "section", "id" | "aria-labelledby")
            if !value.is_empty()
                && value
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') =>
        {
            Ok(())
        }
        ("a", "rel") if value == "noopener noreferrer" => Ok(()),
        ("a", "href") => match scheme(value) {
            Some(s) if !SCHEMES.contains(&s.as_str()) => {
                Err(format!("link with scheme {s:?}: {value:?}"))
            }
            _ => Ok(()),
        },
        _ => Err(format!("attribute {attr}={value:?} on <{tag}>")),
    }
}

/// The scheme of `url` as a browser reads it (WHATWG URL: leading and trailing
/// C0 controls and spaces dropped, tabs and newlines removed anywhere), lower
/// case; `None` for a relative URL.
fn scheme(url: &str) -> Option<String> {
    let url: String = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    if !url.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    for (i, c) in url.char_indices() {
        match c {
            ':' => return Some(url[..i].to_ascii_lowercase()),
            c if c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.') => {}
            _ => return None,
        }
    }
    None
}

/// Undoes the escaping the HTML serializer applies to attribute values.
fn unescape(value: &str) -> String {
    value
        .replace("&quot;", "\"")
        .replace("&nbsp;", "\u{a0}")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn head(s: &str) -> &str {
    let end = s.char_indices().nth(20).map_or(s.len(), |(i, _)| i);
    &s[..end]
}
