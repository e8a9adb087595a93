//! Search queries for the synthetic data sets: what citizens type, in the
//! words the articles are made of.

use std::collections::HashSet;

use super::Rng;
use super::words::{FIRST_NAMES, JOB_TITLES, LAST_NAMES, PLACES, SUBJECTS};

/// The last word of each subject (`cykelsti`, `legeplads`, `svømmehal`):
/// each is in the title or text of about one article in [`SUBJECTS`]'s
/// length, so a common word.
fn subject_words() -> Vec<&'static str> {
    SUBJECTS
        .iter()
        .filter_map(|(s, _)| s.split(' ').next_back())
        .filter(|w| w.chars().count() > 3)
        .collect()
}

/// A word with two neighbouring letters swapped: a typo, which matches
/// nothing as typed (the search's spelling paths).
fn typo(rng: &mut Rng, word: &str) -> String {
    let mut chars: Vec<char> = word.chars().collect();
    if chars.len() > 3 {
        let i = rng.range(1, chars.len() - 2);
        chars.swap(i, i + 1);
    }
    chars.into_iter().collect()
}

/// `count` distinct queries, the same for the same `seed`, in turn of four
/// kinds: a common word (a subject), a place or a person's name, two words
/// (subject and place), and a rare or misspelt one (a job title, a name with
/// a first name, a typo). Fewer if the words give no more distinct ones.
pub fn queries(count: usize, seed: u64) -> Vec<String> {
    let mut rng = Rng(0x5155_4552_5953_0000 ^ seed);
    let subjects = subject_words();
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(count);
    // Each round tries every kind once; bounded in case the words run out.
    for round in 0..count * 20 {
        if out.len() == count {
            break;
        }
        let query = match round % 4 {
            0 => rng.pick(&subjects).to_string(),
            1 if rng.chance(50) => rng.pick(PLACES).to_string(),
            1 => rng.pick(LAST_NAMES).to_string(),
            2 => format!("{} {}", rng.pick(&subjects), rng.pick(PLACES)),
            _ => match rng.below(3) {
                0 => rng.pick(JOB_TITLES).to_string(),
                1 => format!("{} {}", rng.pick(FIRST_NAMES), rng.pick(LAST_NAMES)),
                _ => {
                    let word = rng.pick(&subjects);
                    typo(&mut rng, word)
                }
            },
        };
        if seen.insert(query.to_lowercase()) {
            out.push(query);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distinct_repeatable_and_of_every_kind() {
        let a = queries(300, 7);
        assert_eq!(a.len(), 300);
        assert_eq!(a, queries(300, 7));
        assert_ne!(a, queries(300, 8));
        let unique: HashSet<String> = a.iter().map(|q| q.to_lowercase()).collect();
        assert_eq!(unique.len(), a.len());
        assert!(a.iter().any(|q| q == "legeplads"));
        assert!(a.iter().any(|q| q.contains(' ')));
        assert!(a.iter().any(|q| JOB_TITLES.contains(&q.as_str())));
    }
}
