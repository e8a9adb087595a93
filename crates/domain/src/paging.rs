//! Splitting lists into numbered pages.

/// How many pages `total` items fill at `per_page` a page (at least one).
pub fn page_count(total: u64, per_page: u32) -> u32 {
    let per_page = u64::from(per_page.max(1));
    u32::try_from(total.div_ceil(per_page))
        .unwrap_or(u32::MAX)
        .max(1)
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Sidetallet skal være et helt tal fra 1 og op.")]
pub struct PageNumberError;

/// Reads a 1-based page number as given in a URL (`?side=2`). Missing or blank
/// means page 1.
pub fn parse_page_number(value: Option<&str>) -> Result<u32, PageNumberError> {
    match value.map(str::trim) {
        None | Some("") => Ok(1),
        Some(v) => match v.parse::<u32>() {
            Ok(n) if n >= 1 => Ok(n),
            _ => Err(PageNumberError),
        },
    }
}

/// The page numbers worth linking from page `current` of `count`: the first,
/// the last, and those within two of the current one, in order.
pub fn page_window(current: u32, count: u32) -> Vec<u32> {
    (1..=count)
        .filter(|&n| n == 1 || n == count || n.abs_diff(current) <= 2)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_pages() {
        assert_eq!(page_count(0, 10), 1);
        assert_eq!(page_count(10, 10), 1);
        assert_eq!(page_count(11, 10), 2);
        assert_eq!(page_count(5, 0), 5);
    }

    #[test]
    fn reads_page_numbers() {
        assert_eq!(parse_page_number(None), Ok(1));
        assert_eq!(parse_page_number(Some(" 3 ")), Ok(3));
        for bad in ["0", "-1", "abc", "1.5", "99999999999", "2; DROP TABLE news"] {
            assert_eq!(parse_page_number(Some(bad)), Err(PageNumberError), "{bad}");
        }
    }

    #[test]
    fn window_around_current_page() {
        assert_eq!(page_window(1, 1), [1]);
        assert_eq!(page_window(5, 20), [1, 3, 4, 5, 6, 7, 20]);
        assert_eq!(page_window(1, 4), [1, 2, 3, 4]);
    }
}
