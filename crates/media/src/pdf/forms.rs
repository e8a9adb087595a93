//! A guard before pdf-extract: it follows every `Do` operator into the named
//! XObject by plain recursion, so a form that draws itself (directly or in
//! a loop) would overflow the stack, which aborts the whole process and is
//! no panic that `catch_unwind` could stop. This walks the same way, with a
//! bound on depth and on work, and says whether it is safe to go ahead.

use std::panic::{AssertUnwindSafe, catch_unwind};

use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object, ObjectId};

/// Deepest nesting of XObjects followed.
const MAX_DEPTH: usize = 12;
/// Most XObjects followed in the whole document.
const MAX_VISITS: usize = 20_000;
/// Most content bytes decoded in the whole document.
const MAX_CONTENT_BYTES: usize = 256 * 1024 * 1024;
/// Most levels of the page tree searched for inherited resources.
const MAX_PARENTS: usize = 64;

struct Budget {
    visits: usize,
    bytes: usize,
}

/// Whether pdf-extract can process `doc` without unbounded recursion.
pub(super) fn safe_to_extract(doc: &Document) -> bool {
    let mut budget = Budget {
        visits: MAX_VISITS,
        bytes: MAX_CONTENT_BYTES,
    };
    let empty = Dictionary::new();
    doc.page_iter().all(|page| {
        let Ok(content) = doc.get_page_content(page) else {
            return true;
        };
        let resources = inherited_resources(doc, page).unwrap_or(&empty);
        walk(doc, &content, resources, &mut Vec::new(), &mut budget)
    })
}

/// The page's `/Resources`, or the nearest ancestor's.
fn inherited_resources(doc: &Document, page: ObjectId) -> Option<&Dictionary> {
    let mut node = doc.get_dictionary(page).ok()?;
    for _ in 0..MAX_PARENTS {
        if let Ok(resources) = node.get_deref(b"Resources", doc).and_then(Object::as_dict) {
            return Some(resources);
        }
        node = node
            .get_deref(b"Parent", doc)
            .and_then(Object::as_dict)
            .ok()?;
    }
    None
}

fn walk(
    doc: &Document,
    content: &[u8],
    resources: &Dictionary,
    path: &mut Vec<ObjectId>,
    budget: &mut Budget,
) -> bool {
    budget.bytes = match budget.bytes.checked_sub(content.len()) {
        Some(left) => left,
        None => return false,
    };
    let Ok(Ok(content)) = catch_unwind(AssertUnwindSafe(|| Content::decode(content))) else {
        // pdf-extract stops at the same place (a caught panic).
        return true;
    };
    let xobjects = resources
        .get_deref(b"XObject", doc)
        .and_then(Object::as_dict)
        .ok();
    for operation in content.operations.iter().filter(|op| op.operator == "Do") {
        let Some(name) = operation.operands.first().and_then(|o| o.as_name().ok()) else {
            continue;
        };
        let Some(Ok(id)) = xobjects
            .and_then(|x| x.get(name).ok())
            .map(Object::as_reference)
        else {
            continue;
        };
        if path.contains(&id) || path.len() >= MAX_DEPTH {
            return false;
        }
        budget.visits = match budget.visits.checked_sub(1) {
            Some(left) => left,
            None => return false,
        };
        let Ok(stream) = doc.get_object(id).and_then(Object::as_stream) else {
            continue;
        };
        let inner_resources = stream
            .dict
            .get_deref(b"Resources", doc)
            .and_then(Object::as_dict)
            .unwrap_or(resources);
        let inner = stream
            .decompressed_content()
            .unwrap_or_else(|_| stream.content.clone());
        path.push(id);
        let ok = walk(doc, &inner, inner_resources, path, budget);
        path.pop();
        if !ok {
            return false;
        }
    }
    true
}
