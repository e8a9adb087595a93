//! A deterministic synthetic municipality: Danish news, contact persons,
//! topics and websites, as an export file (`docs/export-format.md`) that
//! `raadhus import` loads.
//!
//! Everything comes from one seeded splitmix64 generator and the word lists
//! below, so `export(n)` gives the same file on every machine, and the first
//! article (the probe, [`PROBE_TITLE`]) is the same in every data set size.

use std::collections::HashSet;
use std::io::Write;
use std::path::Path;

use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use raadhus_domain::date;
use raadhus_domain::directory::WebUrl;
use raadhus_domain::email::Email;
use raadhus_domain::export::{
    self, Export, ExportContact, ExportNews, ExportRevision, ExportSite, ExportTopic, ExportUser,
    ExportWebsite,
};
use raadhus_domain::news::{NewsContent, NewsStatus};
use raadhus_domain::phone::Phone;
use raadhus_domain::slug::Slug;
use raadhus_domain::user::Role;

/// Title of the first article of every data set: the one the benchmarks read.
pub const PROBE_TITLE: &str = "Ny cykelsti forbinder Egelund og Strandby";
/// The word the search benchmarks look for. It is in the title of about one
/// article in 25 (one subject of [`SUBJECTS`]) and in some websites' names.
pub const SEARCH_WORD: &str = "legeplads";

mod eval;
pub mod hostile;
mod queries;
mod words;

pub use queries::queries;

use words::*;

const SEED: u64 = 0x5241_4144_4855_5321;
const SITE_NAME: &str = "Lyngholm Kommune";
const DOMAIN: &str = "lyngholm.example";
const CONTACTS: usize = 300;
const WEBSITES: usize = 300;
const USERS: i64 = 3;

/// splitmix64 (Steele, Lea, Flood 2014): tiny, fast, good enough for test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        // The modulo bias is irrelevant for word picking.
        (self.next() % n as u64) as usize
    }

    /// A number in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    /// True with probability `percent`/100.
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// `k` distinct indices of `0..n`, in random order.
    fn distinct(&mut self, n: usize, k: usize) -> Vec<usize> {
        // The first k steps of a Fisher-Yates shuffle.
        let mut all: Vec<usize> = (0..n).collect();
        let k = k.min(n);
        for i in 0..k {
            let j = i + self.below(n - i);
            all.swap(i, j);
        }
        all.truncate(k);
        all
    }
}

fn fill(template: &str, rng: &mut Rng, subject: (&str, &str), place: &str) -> String {
    let mut out = template
        .replace("{t}", subject.0)
        .replace("{s}", subject.1)
        .replace("{p}", place);
    if out.contains("{m}") {
        out = out.replace("{m}", rng.pick(&date::MONTHS));
    }
    if out.contains("{g}") {
        out = out.replace("{g}", rng.pick(GROUPS));
    }
    if out.contains("{d}") {
        out = out.replace("{d}", rng.pick(DEPARTMENTS));
    }
    if out.contains("{n}") {
        out = out.replace("{n}", &rng.range(2, 140).to_string());
    }
    if out.contains("{day}") {
        out = out.replace("{day}", &rng.range(1, 28).to_string());
    }
    capitalise(&out)
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A paragraph of two to four sentences taken from `deck` (sentences not yet
/// used in this article).
fn paragraph(rng: &mut Rng, deck: &mut Vec<usize>, subject: (&str, &str), place: &str) -> String {
    let count = rng.range(2, 4).min(deck.len());
    deck.split_off(deck.len() - count)
        .into_iter()
        .map(|i| fill(SENTENCES[i], rng, subject, place))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A Markdown body: paragraphs, a bullet list, a quote from one of the
/// article's contact persons, sometimes a sub-heading.
fn body(rng: &mut Rng, subject: (&str, &str), place: &str, quoted: &ExportContact) -> String {
    let mut deck = rng.distinct(SENTENCES.len(), SENTENCES.len());
    let mut blocks = Vec::new();
    for _ in 0..rng.range(2, 3) {
        blocks.push(paragraph(rng, &mut deck, subject, place));
    }
    blocks.push(rng.pick(LIST_INTROS).to_string());
    let items = rng.range(3, 5);
    blocks.push(
        rng.distinct(LIST_ITEMS.len(), items)
            .into_iter()
            .map(|i| format!("- {}", fill(LIST_ITEMS[i], rng, subject, place)))
            .collect::<Vec<_>>()
            .join("\n"),
    );
    let quote = fill(rng.pick(QUOTES), rng, subject, place);
    let who = match &quoted.job_title {
        Some(job) => format!("{}, {job}", quoted.name),
        None => quoted.name.clone(),
    };
    blocks.push(format!("> »{quote}«\n>\n> — {who}"));
    if rng.chance(40) {
        blocks.push("## Det videre forløb".to_string());
    }
    for _ in 0..rng.range(1, 3) {
        blocks.push(paragraph(rng, &mut deck, subject, place));
    }
    blocks.join("\n\n")
}

fn at(date: Date, seconds: i64) -> Timestamp {
    let midnight = jiff::tz::TimeZone::UTC
        .to_timestamp(date.at(0, 0, 0, 0))
        .expect("a calendar date is a valid UTC day");
    midnight + SignedDuration::from_secs(seconds)
}

fn ascii_name(name: &str) -> String {
    Slug::from_title(name)
        .expect("names have letters")
        .as_str()
        .replace('-', ".")
}

fn contacts(rng: &mut Rng, start: Timestamp) -> Vec<ExportContact> {
    (1..=CONTACTS as i64)
        .map(|id| {
            let name = format!("{} {}", rng.pick(FIRST_NAMES), rng.pick(LAST_NAMES));
            let email = format!("{}{id}@{DOMAIN}", ascii_name(&name));
            let phone = format!("+4572{:06}", rng.below(1_000_000));
            ExportContact {
                id,
                job_title: Some(rng.pick(JOB_TITLES).to_string()),
                email: Some(Email::parse(&email).expect("generated e-mail addresses are valid")),
                phone: Some(Phone::from_e164(&phone).expect("generated numbers are valid")),
                name,
                created_at: start,
                updated_at: start,
            }
        })
        .collect()
}

fn topics(start: Timestamp) -> Vec<ExportTopic> {
    (1_i64..)
        .zip(TOPICS)
        .map(|(id, name)| ExportTopic {
            id,
            slug: Slug::from_title(name).expect("topic names have letters"),
            name: (*name).to_string(),
            sort_order: id,
            created_at: start,
            updated_at: start,
        })
        .collect()
}

fn websites(rng: &mut Rng, start: Timestamp) -> Vec<ExportWebsite> {
    (1..=WEBSITES as i64)
        .map(|id| {
            let (kind, topic, description) = INSTITUTIONS[rng.below(INSTITUTIONS.len())];
            let place = rng.pick(PLACES);
            let name = format!("{kind} {place}");
            let host = Slug::from_title(&name).expect("website names have letters");
            let url = format!("https://{host}-{id}.{DOMAIN}/");
            let mut topic_ids = vec![topic as i64 + 1];
            if rng.chance(30) {
                let other = rng.below(TOPICS.len()) as i64 + 1;
                if other != topic_ids[0] {
                    topic_ids.push(other);
                }
            }
            ExportWebsite {
                id,
                name,
                url: WebUrl::parse(&url).expect("generated URLs are valid"),
                description: Some(description.to_string()),
                sort_order: id,
                active: true,
                statement_url: Some(
                    WebUrl::parse(&format!("https://was.example/erklaering/{id}"))
                        .expect("generated URLs are valid"),
                ),
                topic_ids,
                created_at: start,
                updated_at: start,
            }
        })
        .collect()
}

/// An export file of a municipality with `n` published articles (dated from
/// 2012 to October 2026, all published in the past), 300 contact persons,
/// 30 topics, 300 websites and 3 editors.
pub fn export(n: usize) -> Export {
    export_seeded(n, 0)
}

/// [`export`] made from another seed (0: [`export`]'s own): other articles,
/// contact persons and websites of the same kind, the first article still
/// the probe. Gives each site of a many-site data set its own content.
pub fn export_seeded(n: usize, seed: u64) -> Export {
    let mut rng = Rng(SEED ^ seed);
    let start = at(Date::constant(2011, 12, 1), 8 * 3600);
    let first_day = Date::constant(2012, 1, 1);
    let days = first_day
        .until(Date::constant(2026, 10, 31))
        .expect("fixed dates")
        .get_days() as usize;
    let contacts = contacts(&mut rng, start);
    let topics = topics(start);
    let websites = websites(&mut rng, start);
    let users = (1..=USERS)
        .map(|id| ExportUser {
            id,
            email: Email::parse(&format!("redaktoer{id}@{DOMAIN}"))
                .expect("generated e-mail addresses are valid"),
            name: format!("{} {}", rng.pick(FIRST_NAMES), rng.pick(LAST_NAMES)),
            role: if id == 1 { Role::Admin } else { Role::Editor },
            password_hash: None,
            disabled_at: None,
            created_at: start,
            updated_at: start,
            main_site: true,
            sites: Vec::new(),
        })
        .collect();
    let mut slugs = HashSet::with_capacity(n);
    let mut news = Vec::with_capacity(n);
    for id in 1..=n as i64 {
        let (subject, place, title) = if id == 1 {
            (SUBJECTS[0], PLACES[0], PROBE_TITLE.to_string())
        } else {
            let subject = SUBJECTS[rng.below(SUBJECTS.len())];
            let place = rng.pick(PLACES);
            (
                subject,
                place,
                fill(rng.pick(TITLES), &mut rng, subject, place),
            )
        };
        let lead = rng
            .chance(90)
            .then(|| fill(rng.pick(LEADS), &mut rng, subject, place));
        let contact_count = rng.range(1, 2);
        let contact_ids: Vec<i64> = rng
            .distinct(CONTACTS, contact_count)
            .into_iter()
            .map(|i| contacts[i].id)
            .collect();
        let quoted = &contacts[contact_ids[0] as usize - 1];
        let body = body(&mut rng, subject, place, quoted);
        let slug = Slug::from_title(&title)
            .expect("titles have letters")
            .make_unique(|s| slugs.contains(s));
        slugs.insert(slug.clone());
        let news_date = first_day
            .checked_add(jiff::Span::new().days(rng.below(days + 1) as i64))
            .expect("within the fixed range");
        let published = at(news_date, 6 * 3600 + rng.below(9 * 3600) as i64);
        let created = published - SignedDuration::from_secs(60 * rng.range(5, 600) as i64);
        let user_id = Some(rng.range(1, USERS as usize) as i64);
        let content = NewsContent {
            slug,
            title,
            lead,
            body,
            news_date,
            status: NewsStatus::Published,
            publish_at: Some(published),
            unpublish_at: None,
            contact_ids,
            image_id: None,
        };
        news.push(ExportNews {
            id,
            revisions: vec![ExportRevision {
                id,
                version: 1,
                user_id,
                created_at: created,
                content: content.clone(),
            }],
            content,
            deleted_at: None,
            version: 1,
            created_at: created,
            updated_at: created,
        });
    }
    let end = at(Date::constant(2026, 11, 1), 0);
    Export {
        format: export::FORMAT.to_string(),
        version: export::VERSION,
        exported_at: end,
        secrets: false,
        scheduler_last_run: Some(end),
        users,
        api_tokens: Vec::new(),
        audit_log: Vec::new(),
        media_files: Vec::new(),
        sites: vec![ExportSite {
            id: 1,
            name: SITE_NAME.to_string(),
            created_at: start,
            host: None,
            base_url: None,
            topic_id: None,
            contacts,
            topics,
            websites,
            media: Vec::new(),
            news,
            pages: Vec::new(),
            old_paths: Vec::new(),
            redirects: Vec::new(),
            settings: None,
            audit_log: Vec::new(),
        }],
    }
}

/// A synthetic data set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Set {
    /// The municipality of [`export`].
    Plain,
    /// The same with the search evaluation's known articles and websites in
    /// place of some generated ones (`bench/search-eval/`).
    Eval,
}

impl Set {
    /// The name its files are kept under: `synth` or `eval`.
    pub fn name(self) -> &'static str {
        match self {
            Set::Plain => "synth",
            Set::Eval => "eval",
        }
    }
}

/// The export of `set` with `n` articles.
pub fn export_set(set: Set, n: usize) -> Export {
    let mut data = export(n);
    if set == Set::Eval {
        eval::put_in(&mut data);
    }
    data
}

/// Writes the export file of `n` articles to `path` (which appears only when
/// complete).
pub fn write_export(n: usize, path: &Path) -> std::io::Result<()> {
    write_set(Set::Plain, n, path)
}

/// Writes the export file of `set` with `n` articles to `path` (which
/// appears only when complete).
pub fn write_set(set: Set, n: usize, path: &Path) -> std::io::Result<()> {
    let data = export_set(set, n);
    let partial = path.with_extension("partial");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&partial)?);
    serde_json::to_writer(&mut out, &data)?;
    out.write_all(b"\n")?;
    out.into_inner()
        .map_err(std::io::IntoInnerError::into_error)?
        .sync_all()?;
    std::fs::rename(&partial, path)
}

/// The path of the probe article, the same in every data set.
pub fn probe_path() -> String {
    let slug = Slug::from_title(PROBE_TITLE).expect("the title has letters");
    raadhus_domain::urls::news(slug.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_file_every_time_and_it_passes_the_import_checks() {
        let a = export(300);
        assert_eq!(a, export(300));
        a.check().unwrap();
        let text = serde_json::to_string(&a).unwrap();
        let read = Export::read(&text).unwrap();
        assert_eq!(read.counts().news, 300);
    }

    #[test]
    fn the_probe_article_is_the_same_in_every_size() {
        let small = export(10);
        let large = export(1000);
        assert_eq!(small.sites[0].news[0], large.sites[0].news[0]);
        assert_eq!(small.sites[0].news[0].content.title, PROBE_TITLE);
    }

    #[test]
    fn bodies_have_paragraphs_a_list_and_a_quote() {
        let data = export(500);
        for n in &data.sites[0].news {
            let body = &n.content.body;
            assert!(body.matches("\n\n").count() >= 4, "{body}");
            assert!(body.contains("\n- "), "{body}");
            assert!(body.contains("> »"), "{body}");
        }
        let word_in_titles = data.sites[0]
            .news
            .iter()
            .filter(|n| n.content.title.to_lowercase().contains(SEARCH_WORD))
            .count();
        assert!(word_in_titles > 0);
    }
}
