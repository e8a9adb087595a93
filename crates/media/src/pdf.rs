//! PDF documents: the accessibility check and the text for search.

use std::panic::catch_unwind;
use std::sync::Arc;

use lopdf::{Dictionary, Document, Object};

use raadhus_domain::media::DocumentCheck;

use crate::{FileType, PrepareError, Prepared};

mod forms;
mod text;

/// Judges a PDF. The bytes are stored unchanged.
pub(crate) fn prepare(bytes: &[u8]) -> Result<Prepared, PrepareError> {
    let doc = catch_unwind(|| Document::load_mem(bytes))
        .map_err(|_| PrepareError::Damaged)?
        .map_err(|_| PrepareError::Damaged)?;
    // Encrypted with a password needed to open it: nobody could read it.
    // (Encrypted only against copying or printing, lopdf opens it.)
    if doc.is_encrypted() && !doc.was_encrypted() {
        return Err(PrepareError::Damaged);
    }
    let catalog = doc.catalog().map_err(|_| PrepareError::Damaged)?;
    let tagged = catalog.has(b"StructTreeRoot") && marked(&doc, catalog);
    let language = text_entry(&doc, catalog, b"Lang").is_some();
    let title = info_title(&doc).or_else(|| xmp_title(&doc, catalog));

    let doc = Arc::new(doc);
    let extracted = if forms::safe_to_extract(&doc) {
        text::extract(Arc::clone(&doc))
    } else {
        text::Extracted::none()
    };
    let has_text = if extracted.letters >= text::MIN_LETTERS {
        true
    } else {
        // Extraction stopped early (time, a panic, an error): judge from
        // whether the pages draw text at all.
        !extracted.complete && text::draws_text(&doc)
    };
    Ok(Prepared::Document {
        file_type: FileType::Pdf,
        bytes: bytes.to_vec(),
        accessibility: DocumentCheck {
            tagged,
            language,
            title: title.is_some(),
            has_text,
        },
        title,
        text: extracted.text,
    })
}

/// Whether the catalog says `/MarkInfo << /Marked true >>`.
fn marked(doc: &Document, catalog: &Dictionary) -> bool {
    let Ok(mark_info) = catalog
        .get_deref(b"MarkInfo", doc)
        .and_then(Object::as_dict)
    else {
        return false;
    };
    mark_info
        .get_deref(b"Marked", doc)
        .and_then(Object::as_bool)
        .unwrap_or(false)
}

/// A text string entry of `dict`, trimmed, if present and not empty.
fn text_entry(doc: &Document, dict: &Dictionary, key: &[u8]) -> Option<String> {
    let value = dict.get_deref(key, doc).ok()?;
    let text = lopdf::decode_text_string(value).ok()?;
    let text = text.trim_matches(|c: char| c.is_whitespace() || c == '\0');
    (!text.is_empty()).then(|| text.to_owned())
}

/// The Info dictionary's `/Title`.
fn info_title(doc: &Document) -> Option<String> {
    let info = doc
        .trailer
        .get_deref(b"Info", doc)
        .and_then(Object::as_dict)
        .ok()?;
    text_entry(doc, info, b"Title")
}

/// The first `dc:title` of the catalog's XMP metadata.
fn xmp_title(doc: &Document, catalog: &Dictionary) -> Option<String> {
    let stream = catalog
        .get_deref(b"Metadata", doc)
        .and_then(Object::as_stream)
        .ok()?;
    let xml = stream
        .decompressed_content()
        .unwrap_or_else(|_| stream.content.clone());
    let xml = String::from_utf8_lossy(&xml);
    let after = &xml[xml.find("<dc:title")?..];
    let end = after.find("</dc:title>")?;
    let inner = &after[..end];
    // The text of the first element inside it (rdf:Alt/rdf:li), or its own.
    let li = inner
        .find("<rdf:li")
        .map(|at| &inner[at..])
        .unwrap_or(inner);
    let text_start = li.find('>')? + 1;
    let text = &li[text_start..];
    let text = &text[..text.find('<').unwrap_or(text.len())];
    let text = unescape_xml(text.trim());
    (!text.is_empty()).then_some(text)
}

fn unescape_xml(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}
