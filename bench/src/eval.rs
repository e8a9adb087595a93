//! The search evaluation (`bench/search-eval/`): queries with the items
//! they must find, and how well the results found them: recall@10 and the
//! reciprocal rank of the first must-find item, per category and overall.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::Path;

/// How many results count: the first page.
pub const TOP: usize = 10;

/// One query of an evaluation file.
#[derive(Clone, Debug)]
pub struct Case {
    pub query: String,
    pub category: String,
    /// Patterns of the items it must find: a path of the site or a URL,
    /// `*` standing for any text.
    pub must: Vec<String>,
    pub note: String,
}

/// The cases of an evaluation file: tab-separated query, category,
/// must-find items (space-separated) and an optional note; `#` starts a
/// comment line.
pub fn read_cases(path: &Path) -> Result<Vec<Case>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut cases = Vec::new();
    for (number, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let at = || format!("{}:{}", path.display(), number + 1);
        let mut columns = line.split('\t');
        let (Some(query), Some(category), Some(must)) =
            (columns.next(), columns.next(), columns.next())
        else {
            return Err(format!("{}: needs query, category and items", at()));
        };
        let must: Vec<String> = must.split_whitespace().map(str::to_string).collect();
        if query.trim().is_empty() || category.trim().is_empty() || must.is_empty() {
            return Err(format!("{}: an empty column", at()));
        }
        cases.push(Case {
            query: query.to_string(),
            category: category.to_string(),
            must,
            note: columns.next().unwrap_or_default().to_string(),
        });
    }
    if cases.is_empty() {
        return Err(format!("{}: no queries", path.display()));
    }
    Ok(cases)
}

/// Whether `url` matches `pattern`, in which `*` stands for any text.
pub fn matches(pattern: &str, url: &str) -> bool {
    let mut pieces = pattern.split('*');
    let first = pieces.next().unwrap_or_default();
    let Some(mut rest) = url.strip_prefix(first) else {
        return false;
    };
    let pieces: Vec<&str> = pieces.collect();
    let Some((last, middle)) = pieces.split_last() else {
        return rest.is_empty();
    };
    for piece in middle {
        match rest.find(piece) {
            Some(at) => rest = &rest[at + piece.len()..],
            None => return false,
        }
    }
    rest.ends_with(last)
}

/// How one query fared.
#[derive(Debug)]
pub struct Outcome {
    pub case: Case,
    /// The results' addresses, best first (at most [`TOP`]).
    pub results: Vec<String>,
    /// The must-find items among the results, against those there could be.
    pub recall: f64,
    /// 1/rank of the first result that is a must-find item; 0 if none is.
    pub reciprocal_rank: f64,
    /// The must-find items not among the results.
    pub missing: Vec<String>,
    /// The search the answer suggested instead ("Mente du"), if any.
    pub suggestion: Option<String>,
}

/// Scores the first [`TOP`] of `results` (addresses, best first) for `case`.
pub fn score(case: &Case, results: Vec<String>, suggestion: Option<String>) -> Outcome {
    let results: Vec<String> = results.into_iter().take(TOP).collect();
    let missing: Vec<String> = case
        .must
        .iter()
        .filter(|m| !results.iter().any(|r| matches(m, r)))
        .cloned()
        .collect();
    let possible = case.must.len().min(TOP);
    let found = (case.must.len() - missing.len()).min(possible);
    let first = results
        .iter()
        .position(|r| case.must.iter().any(|m| matches(m, r)));
    Outcome {
        case: case.clone(),
        results,
        recall: found as f64 / possible as f64,
        reciprocal_rank: first.map_or(0.0, |rank| 1.0 / (rank + 1) as f64),
        missing,
        suggestion,
    }
}

fn mean(values: impl Iterator<Item = f64>) -> f64 {
    let (sum, count) = values.fold((0.0, 0_usize), |(s, c), v| (s + v, c + 1));
    if count == 0 { 0.0 } else { sum / count as f64 }
}

/// A Markdown table: per category and overall, the queries, mean
/// recall@10, MRR@10 and how many queries found all their items.
pub fn table(outcomes: &[Outcome]) -> String {
    let mut by_category: BTreeMap<&str, Vec<&Outcome>> = BTreeMap::new();
    for o in outcomes {
        by_category.entry(&o.case.category).or_default().push(o);
    }
    let mut out = String::from(
        "| Category | Queries | recall@10 | MRR@10 | All found | First item not in the top 10 |\n|---|---:|---:|---:|---:|---:|\n",
    );
    let mut row = |name: &str, group: &[&Outcome]| {
        let all = group.iter().filter(|o| o.missing.is_empty()).count();
        let none = group.iter().filter(|o| o.reciprocal_rank == 0.0).count();
        let _ = writeln!(
            out,
            "| {name} | {} | {:.3} | {:.3} | {all} | {none} |",
            group.len(),
            mean(group.iter().map(|o| o.recall)),
            mean(group.iter().map(|o| o.reciprocal_rank)),
        );
    };
    for (category, group) in &by_category {
        row(category, group);
    }
    let everything: Vec<&Outcome> = outcomes.iter().collect();
    row("**all**", &everything);
    out
}

/// The queries that did not find all their items, as a Markdown list: what
/// is missing, where the first item is, and the first results instead.
pub fn failures(outcomes: &[Outcome]) -> String {
    let mut out = String::new();
    for o in outcomes.iter().filter(|o| !o.missing.is_empty()) {
        let first = if o.reciprocal_rank > 0.0 {
            format!("first item at rank {}", (1.0 / o.reciprocal_rank).round())
        } else {
            "no item in the top 10".to_string()
        };
        let shown: Vec<String> = o.results.iter().take(3).map(|r| format!("`{r}`")).collect();
        let suggested = match &o.suggestion {
            Some(s) => format!("; it suggested «{s}»"),
            None => String::new(),
        };
        let note = if o.case.note.is_empty() {
            String::new()
        } else {
            format!(" ({})", o.case.note)
        };
        let _ = writeln!(
            out,
            "- `{}` [{}]{note}: {first}, recall {:.2}; missing {}; the results began with {}{suggested}",
            o.case.query,
            o.case.category,
            o.recall,
            o.missing
                .iter()
                .map(|m| format!("`{m}`"))
                .collect::<Vec<_>>()
                .join(", "),
            if shown.is_empty() {
                "nothing (no results)".to_string()
            } else {
                shown.join(", ")
            },
        );
    }
    if out.is_empty() {
        out.push_str("- none: every query found all its items in the top 10\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_with_stars() {
        assert!(matches("/a/b", "/a/b"));
        assert!(!matches("/a/b", "/a/bc"));
        assert!(matches("/nyheder/klima*", "/nyheder/klimaplan-2040"));
        assert!(matches("/medier/*/plan.pdf", "/medier/3/ab12/plan.pdf"));
        assert!(!matches(
            "/medier/*/plan.pdf",
            "/medier/3/ab12/plan.pdf.txt"
        ));
    }

    #[test]
    fn recall_counts_at_most_ten_items_and_the_first_rank_gives_the_reciprocal() {
        let case = Case {
            query: "q".into(),
            category: "plain".into(),
            must: vec!["/a".into(), "/b".into()],
            note: String::new(),
        };
        let o = score(&case, vec!["/x".into(), "/b".into(), "/y".into()], None);
        assert_eq!(o.recall, 0.5);
        assert_eq!(o.reciprocal_rank, 0.5);
        assert_eq!(o.missing, ["/a"]);
        let o = score(&case, Vec::new(), None);
        assert_eq!((o.recall, o.reciprocal_rank), (0.0, 0.0));
    }
}
