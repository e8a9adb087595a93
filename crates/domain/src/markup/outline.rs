//! The heading levels of a body, as an outline below the page's `<h1>`.

use pulldown_cmark::HeadingLevel;

/// Gives each Markdown heading of one body the HTML level that keeps the
/// page's headings in order (WCAG 1.3.1; axe's and Lighthouse's
/// "heading-order"): the first heading is an `<h2>`, a heading is at most
/// one level below the section it opens in, and headings of one Markdown
/// level in the same section stay siblings. So `## Mellemrubrik`, what the
/// editor's button writes, is an `<h2>` under the headline, and a body that
/// starts at `###` or jumps from `#` to `###` skips no level.
#[derive(Debug, Default)]
pub(super) struct Outline {
    /// The sections open at this point: their Markdown level and the HTML
    /// level given to their heading, both rising from the bottom.
    open: Vec<(HeadingLevel, u8)>,
}

impl Outline {
    /// The HTML level (2 to 6) of the next heading, of Markdown `level`.
    pub(super) fn level(&mut self, level: HeadingLevel) -> u8 {
        while self.open.last().is_some_and(|&(open, _)| open >= level) {
            self.open.pop();
        }
        let html = self
            .open
            .last()
            .map_or(2, |&(_, parent)| (parent + 1).min(6));
        self.open.push((level, html));
        html
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use HeadingLevel::*;

    fn levels(markdown: &[HeadingLevel]) -> Vec<u8> {
        let mut outline = Outline::default();
        markdown.iter().map(|&l| outline.level(l)).collect()
    }

    #[test]
    fn the_first_heading_is_h2_whatever_its_markdown_level() {
        for first in [H1, H2, H3, H6] {
            assert_eq!(levels(&[first]), [2], "{first:?}");
        }
    }

    #[test]
    fn siblings_stay_siblings_and_children_go_one_level_down() {
        assert_eq!(levels(&[H2, H3, H3, H2, H3]), [2, 3, 3, 2, 3]);
        assert_eq!(levels(&[H1, H2, H3, H1]), [2, 3, 4, 2]);
    }

    #[test]
    fn skipped_markdown_levels_skip_no_html_level() {
        assert_eq!(levels(&[H1, H3, H6, H3, H2]), [2, 3, 4, 3, 3]);
        // A heading above the first one's level starts a new top section.
        assert_eq!(levels(&[H3, H4, H1, H2]), [2, 3, 2, 3]);
    }

    #[test]
    fn six_nested_levels_end_at_h6() {
        assert_eq!(levels(&[H1, H2, H3, H4, H5, H6]), [2, 3, 4, 5, 6, 6]);
    }
}
