//! `prepare` on PDFs built in the test with lopdf.

use lopdf::content::{Content, Operation};
use lopdf::{Document, Object, Stream, dictionary};

use raadhus_domain::media::DocumentCheck;

use crate::{FileType, Limits, PrepareError, Prepared, prepare};

/// What to put in a test PDF.
#[derive(Default)]
struct Spec {
    tagged: bool,
    lang: Option<&'static str>,
    title: Option<&'static str>,
    xmp_title: Option<&'static str>,
    /// Lines of text, one per `Tj`.
    lines: &'static [&'static str],
}

fn pdf(spec: &Spec) -> Vec<u8> {
    let mut doc = Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    });
    let resources_id = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => font_id } });
    let mut operations = Vec::new();
    for (i, line) in spec.lines.iter().enumerate() {
        operations.extend([
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec!["F1".into(), 14.into()]),
            Operation::new("Td", vec![72.into(), (720 - 20 * i as i64).into()]),
            Operation::new("Tj", vec![Object::string_literal(*line)]),
            Operation::new("ET", vec![]),
        ]);
    }
    let content = Content { operations }.encode().expect("content");
    let content_id = doc.add_object(Stream::new(dictionary! {}, content));
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1,
            "Resources" => resources_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    let mut catalog = dictionary! { "Type" => "Catalog", "Pages" => pages_id };
    if spec.tagged {
        let tree = doc.add_object(dictionary! { "Type" => "StructTreeRoot" });
        catalog.set("StructTreeRoot", tree);
        catalog.set("MarkInfo", dictionary! { "Marked" => true });
    }
    if let Some(lang) = spec.lang {
        catalog.set("Lang", Object::string_literal(lang));
    }
    if let Some(title) = spec.xmp_title {
        let xmp = format!(
            "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF><rdf:Description><dc:title><rdf:Alt>\
             <rdf:li xml:lang=\"x-default\">{title}</rdf:li></rdf:Alt></dc:title>\
             </rdf:Description></rdf:RDF></x:xmpmeta>"
        );
        let metadata = doc.add_object(Stream::new(
            dictionary! { "Type" => "Metadata", "Subtype" => "XML" },
            xmp.into_bytes(),
        ));
        catalog.set("Metadata", metadata);
    }
    let catalog_id = doc.add_object(catalog);
    doc.trailer.set("Root", catalog_id);
    if let Some(title) = spec.title {
        let info = doc.add_object(dictionary! { "Title" => lopdf::text_string(title) });
        doc.trailer.set("Info", info);
    }
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("saved");
    out
}

fn document(bytes: &[u8]) -> (DocumentCheck, Option<String>, String) {
    match prepare(bytes, &Limits::default()) {
        Ok(Prepared::Document {
            file_type,
            bytes: stored,
            accessibility,
            title,
            text,
        }) => {
            assert_eq!(file_type, FileType::Pdf);
            assert_eq!(stored, bytes, "a PDF is stored unchanged");
            (accessibility, title, text)
        }
        other => panic!("expected a document, got {other:?}"),
    }
}

#[test]
fn an_accessible_pdf_passes_every_check() {
    let bytes = pdf(&Spec {
        tagged: true,
        lang: Some("da"),
        title: Some("  Lokalplan 412 – Strandvejen  "),
        lines: &["Lokalplan 412 for boliger", "ved    Strandvejen"],
        ..Spec::default()
    });
    let (accessibility, title, text) = document(&bytes);
    assert_eq!(
        accessibility,
        DocumentCheck {
            tagged: true,
            language: true,
            title: true,
            has_text: true,
        }
    );
    assert!(accessibility.passes());
    assert_eq!(title.as_deref(), Some("Lokalplan 412 – Strandvejen"));
    assert!(text.contains("Lokalplan 412 for boliger"), "{text:?}");
    assert!(text.contains("Strandvejen"), "{text:?}");
    assert!(
        !text.contains("  ") && !text.contains('\n'),
        "collapsed: {text:?}"
    );
}

#[test]
fn a_bare_pdf_fails_every_check() {
    let (accessibility, title, text) = document(&pdf(&Spec::default()));
    assert_eq!(accessibility, DocumentCheck::default());
    assert!(!accessibility.passes());
    assert_eq!(title, None);
    assert_eq!(text, "");
}

#[test]
fn each_check_is_judged_on_its_own() {
    // Marked without a structure tree is not tagged; an empty /Lang is none.
    let (a, ..) = document(&pdf(&Spec {
        lang: Some(" "),
        title: Some(""),
        lines: &["Side 1"],
        ..Spec::default()
    }));
    assert_eq!(
        a,
        DocumentCheck::default(),
        "a page number is no text layer"
    );

    let (a, title, _) = document(&pdf(&Spec {
        xmp_title: Some("Referat &amp; beslutninger"),
        lines: &["Referat fra borgermødet"],
        ..Spec::default()
    }));
    assert!(a.title && a.has_text && !a.tagged && !a.language);
    assert_eq!(title.as_deref(), Some("Referat & beslutninger"));
}

#[test]
fn damaged_pdfs_are_refused_and_never_panic() {
    let cases: [&[u8]; 4] = [
        b"%PDF-1.7\n",
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF",
        b"%PDF-\xff\xfe\x00garbage garbage garbage",
        b"%PDF-1.7\nxref\n0 99999999\ntrailer<</Size 99999999/Root 1 0 R>>\nstartxref\n9\n%%EOF",
    ];
    for bytes in cases {
        match prepare(bytes, &Limits::default()) {
            Err(PrepareError::Damaged) => {}
            Ok(Prepared::Document { accessibility, .. }) => {
                assert_eq!(accessibility, DocumentCheck::default());
            }
            other => panic!("{other:?}"),
        }
    }
    let good = pdf(&Spec {
        lines: &["Dagsorden"],
        ..Spec::default()
    });
    assert!(matches!(
        prepare(&good[..good.len() / 2], &Limits::default()),
        Err(PrepareError::Damaged) | Ok(Prepared::Document { .. })
    ));
}

/// A one-page PDF whose page draws form X0 and whose forms draw each other
/// in a loop (`loop_len` forms; 1: a form that draws itself), each also
/// showing a word.
fn pdf_with_form_loop(loop_len: usize) -> Vec<u8> {
    let mut doc = Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
    });
    let form_ids: Vec<_> = (0..loop_len).map(|_| doc.new_object_id()).collect();
    let mut xobjects = lopdf::Dictionary::new();
    for (i, id) in form_ids.iter().enumerate() {
        xobjects.set(format!("X{i}"), *id);
    }
    let resources_id = doc.add_object(dictionary! {
        "Font" => dictionary! { "F1" => font_id },
        "XObject" => xobjects,
    });
    for (i, id) in form_ids.iter().enumerate() {
        let next = (i + 1) % loop_len;
        let content = format!("BT /F1 12 Tf 72 700 Td (Uendelig) Tj ET /X{next} Do");
        // No /Resources of its own: it uses the page's, as readers do.
        let form = Stream::new(
            dictionary! { "Type" => "XObject", "Subtype" => "Form",
            "BBox" => vec![0.into(), 0.into(), 595.into(), 842.into()] },
            content.into_bytes(),
        );
        doc.objects.insert(*id, Object::Stream(form));
    }
    let content_id = doc.add_object(Stream::new(dictionary! {}, b"/X0 Do".to_vec()));
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1,
            "Resources" => resources_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("saved");
    out
}

#[test]
fn forms_that_draw_themselves_do_not_take_the_process_down() {
    // Without the guard, pdf-extract recurses until the stack overflows,
    // which aborts this test binary.
    for loop_len in [1, 3] {
        let (accessibility, _, text) = document(&pdf_with_form_loop(loop_len));
        assert!(!accessibility.tagged && !accessibility.title);
        assert_eq!(text, "", "extraction is not attempted");
    }
}
