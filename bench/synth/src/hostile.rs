//! Hostile article bodies: the slowest to render that we could construct
//! within what the API accepts (at most `MAX_BODY_CHARS` characters, elements
//! at most `MAX_NESTING` deep). Each is a short pattern repeated to fill the
//! whole length: deep nesting of every kind, long runs of the characters
//! CommonMark treats specially, HTML-looking text, character references,
//! many links, and a real article repeated. The render benchmark
//! (`bench/benches/body.rs`) times each; the integration tests save some.

use raadhus_domain::markup::MAX_NESTING;
use raadhus_domain::news::MAX_BODY_CHARS;

/// `unit` repeated to fill `MAX_BODY_CHARS` characters (whole units only).
fn fill(unit: &str) -> String {
    unit.repeat(MAX_BODY_CHARS / unit.chars().count().max(1))
}

/// `open` nested `levels` deep around `inner`, then closed with `close`.
fn nested(open: &str, close: &str, inner: &str, levels: usize) -> String {
    format!("{}{inner}{}", open.repeat(levels), close.repeat(levels))
}

/// Every hostile body, by name. Each is accepted by `news::normal_body`.
pub fn bodies() -> Vec<(&'static str, String)> {
    let deep = MAX_NESTING - 1;
    let article = crate::export(3)
        .sites
        .into_iter()
        .flat_map(|s| s.news)
        .map(|n| n.content.body + "\n\n")
        .collect::<String>();
    // The lines of a list nested by indentation, as deep as allowed.
    let indented: String = (0..MAX_NESTING / 2 - 1)
        .map(|level| format!("{}- punkt\n", "  ".repeat(level)))
        .collect();
    vec![
        // Nesting, each as deep as allowed and repeated.
        ("quotes", fill(&format!("{} citat\n\n", ">".repeat(deep)))),
        ("quote_lines", fill(&format!("{}\n", "> ".repeat(deep)))),
        (
            "lists",
            fill(&format!("{}punkt\n\n", "- ".repeat(deep / 2))),
        ),
        (
            "numbered_lists",
            fill(&format!("{}punkt\n\n", "1. ".repeat(deep / 2))),
        ),
        ("indented_lists", fill(&format!("{indented}\n"))),
        (
            "quotes_and_lists",
            fill(&format!("{}punkt\n\n", "> - ".repeat(deep / 3))),
        ),
        (
            "emphasis",
            fill(&format!(
                "{}\n\n",
                nested("*a **b ", "** *", "x", (deep - 1) / 2)
            )),
        ),
        (
            "links_in_emphasis",
            fill(&format!(
                "{}\n\n",
                nested("*[a **", "**](/x)*", "x", (deep - 1) / 3)
            )),
        ),
        // Runs of the characters CommonMark reads specially.
        ("stars", fill("*")),
        ("star_a", fill("*a")),
        ("star_star_a", fill("**a")),
        ("underscores", fill("_a__b")),
        ("star_underscore", fill("*_")),
        ("brackets", fill("[")),
        ("bracket_a", fill("[a")),
        ("unclosed_links", fill("[a](")),
        ("nested_brackets", fill(&nested("[", "]", "a", 50))),
        ("image_brackets", fill("![[")),
        ("backticks", fill("`")),
        ("backtick_a", fill("` a")),
        (
            "backtick_runs",
            (1..)
                .map(|n| format!("{}a", "`".repeat(n)))
                .scan(0, |len, unit| {
                    *len += unit.len();
                    (*len <= MAX_BODY_CHARS).then_some(unit)
                })
                .collect(),
        ),
        ("backslashes", fill("\\*")),
        ("fences", fill("```\n")),
        // HTML-looking text: shown as text.
        ("lt", fill("<")),
        ("tags", fill("<div>")),
        ("tags_with_attributes", fill("<b a=1>")),
        ("close_tags", fill("</p>")),
        ("comments", fill("<!--")),
        ("html_blocks", fill("<div>\n\n")),
        ("autolink_like", fill("<a ")),
        // Character references and the characters html5ever was slow on.
        ("ampersands", fill("a&")),
        ("entities", fill("&amp;")),
        ("control_references", fill("&#11;")),
        ("section_signs", fill("§")),
        ("no_break_spaces", fill("a\u{a0}")),
        // Many links and many blocks.
        ("links", fill("[l](https://x.dk/) ")),
        ("autolinks", fill("<https://x.dk/> ")),
        ("reference_links", fill("[a][b] [b]: /x\n")),
        ("definitions", fill("[a]: b\n")),
        ("paragraphs", fill("a\n\n")),
        ("headings", fill("# a\n")),
        ("hard_breaks", fill("a  \n")),
        ("rules", fill("---\n")),
        // A real article (from the synthetic data set), repeated.
        ("articles", fill(&article)),
    ]
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_hostile_body_is_accepted_and_as_long_as_allowed() {
        for (name, body) in super::bodies() {
            let chars = body.chars().count();
            assert!(
                chars <= super::MAX_BODY_CHARS && chars > super::MAX_BODY_CHARS * 9 / 10,
                "{name}: {chars}"
            );
            if let Err(e) = raadhus_domain::news::normal_body(&body) {
                panic!("{name} is refused: {e}");
            }
        }
    }
}
