//! `prepare` on SVG drawings: what passes is rewritten from the parsed
//! tree; anything that could run or load is refused by name.

use crate::svg::{MAX_DEPTH, MAX_NODES};
use crate::{FileType, Limits, MAX_SVG_BYTES, PrepareError, Prepared, prepare};

const NS: &str = "xmlns=\"http://www.w3.org/2000/svg\"";

fn drawing(svg: &str) -> (String, u32, u32) {
    match prepare(svg.as_bytes(), &Limits::default()) {
        Ok(Prepared::Image {
            file_type: FileType::Svg,
            bytes,
            width,
            height,
        }) => (String::from_utf8(bytes).expect("UTF-8"), width, height),
        other => panic!("expected a drawing, got {other:?} for {svg}"),
    }
}

fn refusal(svg: &str) -> PrepareError {
    match prepare(svg.as_bytes(), &Limits::default()) {
        Err(e) => e,
        Ok(p) => panic!("accepted {svg}: {p:?}"),
    }
}

#[test]
fn a_logo_as_drawing_programs_save_it_is_taken_and_cleaned() {
    let inkscape = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n\
         <!-- Created with Inkscape (http://www.inkscape.org/) -->\n\
         <!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n\
         <svg {NS} xmlns:xlink=\"http://www.w3.org/1999/xlink\" \
         xmlns:inkscape=\"http://www.inkscape.org/namespaces/inkscape\" \
         xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" \
         width=\"60mm\" height=\"30mm\" viewBox=\"0 0 60 30\" inkscape:version=\"1.3\">\
         <metadata><rdf:RDF><rdf:Description about=\"x\"/></rdf:RDF></metadata>\
         <inkscape:grid id=\"g1\"/>\
         <title>Vesterfjord &amp; omegn</title>\
         <defs><linearGradient id=\"a\"><stop offset=\"0\" stop-color=\"#005\"/></linearGradient>\
         <style>.s{{fill:url(#a)}}</style></defs>\
         <g inkscape:label=\"Lag 1\" style=\"fill:url('#a');stroke:none\">\
         <path class=\"s\" d=\"M0 0h60v30H0z\"/><use xlink:href=\"#a\"/>\
         <text x=\"1\" y=\"20\">Kommune &lt;3</text></g></svg>"
    );
    let (clean, width, height) = drawing(&inkscape);
    assert_eq!((width, height), (227, 113), "60 × 30 mm at 96 dpi");
    assert!(clean.starts_with(&format!(
        "<svg {NS} xmlns:xlink=\"http://www.w3.org/1999/xlink\""
    )));
    for gone in [
        "inkscape", "rdf", "metadata", "<!--", "<?xml", "DOCTYPE", "Inkscape",
    ] {
        assert!(!clean.contains(gone), "{gone} left in {clean}");
    }
    for kept in [
        "<title>Vesterfjord &amp; omegn</title>",
        "<use xlink:href=\"#a\"/>",
        "Kommune &lt;3",
        "style=\"fill:url('#a');stroke:none\"",
        "<style>.s{fill:url(#a)}</style>",
    ] {
        assert!(clean.contains(kept), "{kept} missing in {clean}");
    }
    // The copy is itself a drawing that passes, unchanged.
    assert_eq!(drawing(&clean).0, clean);
}

#[test]
fn anything_that_runs_or_loads_is_refused_by_name() {
    let cases = [
        ("<script>alert(1)</script>", "<script>"),
        ("<foreignObject><p>x</p></foreignObject>", "<foreignObject>"),
        (
            "<set attributeName=\"href\" to=\"javascript:alert(1)\"/>",
            "<set>",
        ),
        ("<animate attributeName=\"x\"/>", "<animate>"),
        ("<a href=\"https://evil.example\"><rect/></a>", "<a>"),
        ("<rect onclick=\"alert(1)\"/>", "onclick"),
        ("<rect OnMouseOver=\"alert(1)\"/>", "OnMouseOver"),
        ("<use href=\"https://evil.example/x.svg#a\"/>", "anden fil"),
        ("<image href=\"/admin\"/>", "anden fil"),
        (
            "<image href=\"data:image/svg+xml;base64,PHN2Zz4=\"/>",
            "anden fil",
        ),
        ("<rect fill=\"url(https://evil.example/p)\"/>", "anden fil"),
        ("<rect style=\"fill: u\trl( 'https://x' )\"/>", "url()"),
        (
            "<style>@import 'https://evil.example/a.css';</style>",
            "@import",
        ),
        ("<style>rect{background:\\75rl(x)}</style>", "\\"),
        (
            "<rect filter=\"java&#x09;script:alert(1)\"/>",
            "javascript:",
        ),
    ];
    for (inner, named) in cases {
        let svg = format!("<svg {NS} viewBox=\"0 0 10 10\">{inner}</svg>");
        let error = refusal(&svg);
        assert!(
            matches!(error, PrepareError::SvgUnsafe { .. }),
            "{inner}: {error:?}"
        );
        let message = error.to_string();
        assert!(message.contains(named), "{inner}: {message}");
        assert!(message.contains("SVG"), "{message}");
    }
}

#[test]
fn entity_declarations_are_refused() {
    let laughs = format!(
        "<?xml version=\"1.0\"?><!DOCTYPE svg [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]>\
         <svg {NS} viewBox=\"0 0 1 1\"><text>&b;</text></svg>"
    );
    assert!(matches!(refusal(&laughs), PrepareError::SvgUnsafe { .. }));
    let external = format!(
        "<!DOCTYPE svg [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><svg {NS} viewBox=\"0 0 1 1\"><text>&x;</text></svg>"
    );
    assert!(matches!(refusal(&external), PrepareError::SvgUnsafe { .. }));
}

#[test]
fn embedded_raster_images_pass() {
    let svg = format!(
        "<svg {NS} viewBox=\"0 0 4 4\"><image width=\"4\" height=\"4\" href=\"data:image/png;base64,iVBORw0KGgo=\"/></svg>"
    );
    assert!(drawing(&svg).0.contains("data:image/png;base64,"));
}

#[test]
fn the_size_comes_from_width_and_height_or_the_view_box() {
    let size = |attrs: &str| {
        let (_, w, h) = drawing(&format!("<svg {NS} {attrs}><rect/></svg>"));
        (w, h)
    };
    assert_eq!(size("width=\"120\" height=\"40\""), (120, 40));
    assert_eq!(size("width=\"120px\" height=\"30pt\""), (120, 40));
    assert_eq!(size("width=\"1in\" height=\"0.5in\""), (96, 48));
    assert_eq!(size("viewBox=\"0 0 300 100\""), (300, 100));
    assert_eq!(size("width=\"100%\" viewBox=\"0,0,30,10\""), (30, 10));
    assert_eq!(size("width=\"60\" viewBox=\"0 0 30 10\""), (60, 20));
    assert_eq!(size("height=\"50\" viewBox=\"0 0 30 10\""), (150, 50));
    assert_eq!(size("viewBox=\"0 0 100000 5000\""), (10_000, 500));
    for no_size in ["", "width=\"100%\" height=\"100%\"", "viewBox=\"0 0 0 10\""] {
        let svg = format!("<svg {NS} {no_size}><rect/></svg>");
        assert!(
            matches!(refusal(&svg), PrepareError::SvgNoSize),
            "{no_size}"
        );
    }
}

#[test]
fn a_bare_svg_element_gets_its_namespace() {
    let (clean, ..) = drawing("<svg viewBox=\"0 0 2 2\"><circle r=\"1\"/></svg>");
    assert_eq!(
        clean,
        format!("<svg {NS} viewBox=\"0 0 2 2\"><circle r=\"1\"/></svg>")
    );
}

#[test]
fn size_depth_nodes_and_encoding_are_bounded() {
    let huge = format!(
        "<svg {NS} viewBox=\"0 0 1 1\"><desc>{}</desc></svg>",
        "a".repeat(MAX_SVG_BYTES)
    );
    assert!(matches!(refusal(&huge), PrepareError::SvgTooLarge { .. }));
    let deep = format!(
        "<svg {NS} viewBox=\"0 0 1 1\">{}{}</svg>",
        "<g>".repeat(MAX_DEPTH + 1),
        "</g>".repeat(MAX_DEPTH + 1)
    );
    assert!(matches!(refusal(&deep), PrepareError::SvgTooComplex));
    let many = format!(
        "<svg {NS} viewBox=\"0 0 1 1\">{}</svg>",
        "<g/>".repeat(MAX_NODES as usize)
    );
    assert!(matches!(refusal(&many), PrepareError::SvgTooComplex));
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(
            format!("<svg {NS} viewBox=\"0 0 1 1\"/>")
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        )
        .collect();
    assert!(matches!(
        prepare(&utf16, &Limits::default()),
        Err(PrepareError::SvgEncoding)
    ));
    let broken = format!("<svg {NS} viewBox=\"0 0 1 1\"><g></svg>");
    assert!(matches!(refusal(&broken), PrepareError::Damaged));
    let html = "<svg:html xmlns:svg=\"http://www.w3.org/1999/xhtml\"/>";
    assert!(matches!(
        prepare(html.as_bytes(), &Limits::default()),
        Err(PrepareError::Unsupported)
    ));
}
