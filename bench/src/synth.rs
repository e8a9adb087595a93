//! A deterministic synthetic municipality: Danish news, contact persons,
//! topics and websites, as an export file (`docs/export-format.md`) that
//! `raadhus import` loads.
//!
//! Everything comes from one seeded splitmix64 generator and the word lists
//! below, so `export(n)` gives the same file on every machine, and the first
//! article (the probe, [`PROBE_TITLE`]) is the same in every data set size.

use std::collections::HashSet;

use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use raadhus_domain::directory::WebUrl;
use raadhus_domain::email::Email;
use raadhus_domain::export::{
    self, Export, ExportContact, ExportNews, ExportRevision, ExportSite, ExportTopic, ExportUser,
    ExportWebsite,
};
use raadhus_domain::news::NewsStatus;
use raadhus_domain::phone::Phone;
use raadhus_domain::slug::Slug;
use raadhus_domain::user::Role;

/// Title of the first article of every data set: the one the benchmarks read.
pub const PROBE_TITLE: &str = "Ny cykelsti forbinder Egelund og Strandby";
/// The word the search benchmarks look for. It is in the title of about one
/// article in 25 (one subject of [`SUBJECTS`]) and in some websites' names.
pub const SEARCH_WORD: &str = "legeplads";

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

/// Subjects of news: the form used in titles, the definite form used in
/// sentences.
const SUBJECTS: &[(&str, &str)] = &[
    ("ny cykelsti", "den nye cykelsti"),
    ("ny legeplads", "den nye legeplads"),
    ("renovering af skolen", "renoveringen af skolen"),
    ("bedre snerydning", "vinterens snerydning"),
    ("nyt bibliotek", "det nye bibliotek"),
    ("større plejecenter", "udvidelsen af plejecentret"),
    ("ny svømmehal", "den nye svømmehal"),
    (
        "længere åbent på genbrugspladsen",
        "de nye åbningstider på genbrugspladsen",
    ),
    ("ny busrute", "den nye busrute"),
    ("flere pladser i dagplejen", "de ekstra pladser i dagplejen"),
    ("havnebad", "havnebadet"),
    ("nyt sundhedshus", "det nye sundhedshus"),
    ("kunstgræsbane", "den nye kunstgræsbane"),
    ("natursti langs åen", "naturstien langs åen"),
    ("separatkloakering", "separatkloakeringen"),
    ("nye boliger ved stationen", "de nye boliger ved stationen"),
    ("ny affaldsordning", "den nye affaldsordning"),
    ("sikker skolevej", "den mere sikre skolevej"),
    ("ny ungdomsklub", "den nye ungdomsklub"),
    ("klimasikring af byen", "klimasikringen af byen"),
    (
        "ladestandere til elbiler",
        "de nye ladestandere til elbiler",
    ),
    ("ny hal til foreningerne", "den nye hal til foreningerne"),
    (
        "fællesspisning på ældrecentret",
        "fællesspisningen på ældrecentret",
    ),
    ("ny skatepark", "den nye skatepark"),
    ("renere badevand", "arbejdet for renere badevand"),
];

const PLACES: &[&str] = &[
    "Egelund",
    "Strandby",
    "Havnsø",
    "Bakkely",
    "Nørreskov",
    "Lyngholm",
    "Søholm",
    "Rødkilde",
    "Vestervig Mark",
    "Ålbæk Strand",
    "Kirkeby",
    "Møllerup",
    "Fjordbakken",
    "Østerå",
    "Lindved",
    "Tranekær",
    "Hvidsten",
    "Kærby",
];

const MONTHS: &[&str] = &[
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
];

const GROUPS: &[&str] = &[
    "beboerne",
    "forældrene",
    "de ældre",
    "pendlerne",
    "skoleeleverne",
    "de lokale erhvervsdrivende",
    "foreningerne",
    "børnefamilierne",
    "cyklisterne",
    "de frivillige",
    "lokalrådet",
    "de unge",
];

const DEPARTMENTS: &[&str] = &[
    "Teknik og Miljø",
    "Børn og Unge",
    "Kultur og Fritid",
    "Social og Sundhed",
    "Plan og Byg",
    "Borgerservice",
    "Vej og Park",
];

/// Title templates: `{t}` subject (title form), `{s}` subject (definite),
/// `{p}` place, `{m}` month, `{g}` group.
const TITLES: &[&str] = &[
    "{t} i {p}",
    "{t} i {p} åbner i {m}",
    "Byrådet siger ja til {t} i {p}",
    "Borgermøde om {t} i {p}",
    "Giv din mening om {t}",
    "Forsinkelse på {s} i {p}",
    "Nu går arbejdet med {s} i {p} i gang",
    "{p} får {t}",
    "Tilskud sikrer {t} i {p}",
    "Status på {s}: tidsplanen holder",
    "Kommunen søger borgere til følgegruppe om {s}",
    "{g} i {p} glæder sig over {s}",
    "Sådan bliver {s} i {p}",
];

const LEADS: &[&str] = &[
    "Byrådet har givet grønt lys til {s} i {p}. Arbejdet går i gang i {m}.",
    "Nu kan {g} i {p} se frem til {s}.",
    "Kommunen inviterer til dialog om {s}. Kom med dine idéer og spørgsmål.",
    "Arbejdet med {s} i {p} er forsinket, men kommunen regner stadig med at blive færdig i år.",
    "{s} i {p} er et skridt nærmere, efter at planen har været i høring.",
    "Efter en lang proces er der nu enighed om {s}.",
];

const SENTENCES: &[&str] = &[
    "Kommunen har besluttet at gå videre med {s} i {p}.",
    "Arbejdet begynder efter planen i {m} og ventes at være færdigt inden for et år.",
    "Projektet koster {n} mio. kr. og er en del af budgetaftalen.",
    "{g} i området har længe efterspurgt en bedre løsning.",
    "I perioden kan der være støj og omkørsel i dagtimerne.",
    "Byrådet har afsat penge til projektet i det kommende budget.",
    "Du kan se tegningerne i borgerservice og på biblioteket i {p}.",
    "{d} står for arbejdet i tæt samarbejde med de lokale foreninger.",
    "Målet er at gøre hverdagen lettere for {g} i hele kommunen.",
    "Der bliver holdt et åbent møde i {p} den {day}. {m}, hvor alle er velkomne.",
    "Forslaget har været i høring, og der kom {n} høringssvar.",
    "Kommunen forventer, at {s} bliver brugt flittigt fra første dag.",
    "Hvis du har spørgsmål, er du velkommen til at kontakte kommunen.",
    "Der er tale om en midlertidig løsning, indtil en varig plan er klar.",
    "Projektet er blevet til i dialog med {g} og lokalrådet i {p}.",
    "Vejret kan betyde, at tidsplanen bliver rykket en smule.",
    "Erfaringerne fra lignende projekter i nabokommunerne er gode.",
    "Det er første gang, kommunen prøver denne model, og den bliver evalueret efter et år.",
    "Entreprenøren har fået besked på at tage hensyn til skolebørn og cyklister.",
    "Der er lagt vægt på, at løsningen skal være let at vedligeholde.",
    "Materialerne er valgt, så de holder i mange år og kan genbruges.",
    "Der bliver plantet nye træer og buske, når arbejdet er færdigt.",
    "Alle husstande i området får et brev med de vigtigste datoer.",
    "Politikerne i udvalget for {d} var enige om forslaget.",
];

const LIST_INTROS: &[&str] = &[
    "Det betyder projektet for dig:",
    "Det sker i de kommende måneder:",
    "Sådan kan du følge med:",
    "Det er godt at vide:",
];

const LIST_ITEMS: &[&str] = &[
    "Der bliver sat skilte op med omkørsel.",
    "Du kan parkere på pladsen ved hallen.",
    "Du kan tilmelde dig nyheder om projektet på kommunens hjemmeside.",
    "Renovationen kører som normalt.",
    "Der bliver holdt et informationsmøde i {m}.",
    "Skolebørn får en sikker rute i hele perioden.",
    "Naboer får besked i Digital Post, inden arbejdet begynder.",
    "Der er adgang for kørestole hele vejen.",
    "Busserne kører efter en ændret køreplan.",
    "Åbningstiderne bliver udvidet om aftenen.",
    "Arbejdet foregår på hverdage mellem kl. 7 og 17.",
    "Adgangen til butikkerne er åben hele tiden.",
];

const QUOTES: &[&str] = &[
    "Vi er rigtig glade for, at vi nu kan komme i gang. Det har været efterspurgt i mange år.",
    "Det her er en investering i fremtiden, og den kommer alle aldersgrupper til gode.",
    "Vi har lyttet til borgerne, og det kan man se i den endelige plan.",
    "Der bliver nok lidt bøvl undervejs, men resultatet bliver godt.",
    "Vi gør det i tæt samarbejde med {g}, og det er vigtigt for os.",
    "Jeg håber, at rigtig mange vil komme forbi og se det færdige resultat.",
];

const FIRST_NAMES: &[&str] = &[
    "Anne", "Mette", "Karin", "Sofie", "Lene", "Hanne", "Birgit", "Ida", "Freja", "Louise",
    "Camilla", "Signe", "Henrik", "Torben", "Jonas", "Anders", "Mads", "Søren", "Lars", "Peter",
    "Jens", "Morten", "Rasmus", "Niels", "Bo", "Ole", "Kasper", "Mikkel", "Thomas", "Jørgen",
];

const LAST_NAMES: &[&str] = &[
    "Holm",
    "Nielsen",
    "Jensen",
    "Damsgaard",
    "Kjærsgaard",
    "Lykkegaard",
    "Bøgh",
    "Refsgaard",
    "Brandt",
    "Vibholm",
    "Østergaard",
    "Andersen",
    "Madsen",
    "Lund",
    "Skov",
    "Bak",
    "Krogh",
    "Thomsen",
    "Friis",
    "Dahl",
];

const JOB_TITLES: &[&str] = &[
    "borgmester",
    "kommunaldirektør",
    "vejchef",
    "skolechef",
    "ældrechef",
    "kultur- og fritidschef",
    "erhvervschef",
    "pressechef",
    "projektleder",
    "landskabsarkitekt",
    "trafikplanlægger",
    "dagtilbudsleder",
    "kommunikationsmedarbejder",
    "udvalgsformand",
    "byplanlægger",
];

const TOPICS: &[&str] = &[
    "Skoler",
    "Dagtilbud",
    "Biblioteker",
    "Kultur",
    "Museer",
    "Idræt og motion",
    "Natur og friluftsliv",
    "Ældre",
    "Sundhed",
    "Erhverv",
    "Job og uddannelse",
    "Unge",
    "Musik",
    "Affald og genbrug",
    "Veje og trafik",
    "Byggeri",
    "Klima og miljø",
    "Borgerservice",
    "Handicap",
    "Familie",
    "Frivillighed",
    "Turisme",
    "Bolig",
    "Beredskab",
    "Landdistrikter",
    "Havne",
    "Kollektiv trafik",
    "Demokrati",
    "Digitalisering",
    "Integration",
];

/// Kinds of institution with a website, with the topic (index into
/// [`TOPICS`]) they are listed under and a description.
const INSTITUTIONS: &[(&str, usize, &str)] = &[
    (
        "Skole",
        0,
        "Folkeskole for 0.–9. klasse med fokus på fællesskab og faglighed.",
    ),
    (
        "Børnehus",
        1,
        "Integreret institution med vuggestue og børnehave tæt på skoven.",
    ),
    (
        "Bibliotek",
        2,
        "Lokalbibliotek med lektiecafé, arrangementer og selvbetjening.",
    ),
    (
        "Kulturhus",
        3,
        "Koncerter, foredrag og udstillinger for hele familien.",
    ),
    (
        "Museum",
        4,
        "Egnens historie fra stenalder til industrisamfund.",
    ),
    (
        "Idrætscenter",
        5,
        "Haller, fitness og baner til foreninger og motionister.",
    ),
    (
        "Naturcenter",
        6,
        "Guidede ture, naturskole og udlån af kanoer.",
    ),
    (
        "Plejecenter",
        7,
        "Plejeboliger, daghjem og aktiviteter for ældre.",
    ),
    (
        "Sundhedscenter",
        8,
        "Genoptræning, rygestop og hjælp til et sundere liv.",
    ),
    (
        "Erhvervshus",
        9,
        "Vejledning til iværksættere og virksomheder.",
    ),
    ("Jobcenter", 10, "Hjælp til at finde job eller uddannelse."),
    (
        "Ungdomsskole",
        11,
        "Valgfag, klubaftener og ture for unge mellem 13 og 18 år.",
    ),
    (
        "Musikskole",
        12,
        "Undervisning i sang og instrumenter for børn og voksne.",
    ),
    (
        "Genbrugsplads",
        13,
        "Åbningstider, sortering og storskrald.",
    ),
    (
        "Legeplads",
        6,
        "Offentlig legeplads med bålhytte og toiletter.",
    ),
];

fn fill(template: &str, rng: &mut Rng, subject: (&str, &str), place: &str) -> String {
    let mut out = template
        .replace("{t}", subject.0)
        .replace("{s}", subject.1)
        .replace("{p}", place);
    if out.contains("{m}") {
        out = out.replace("{m}", rng.pick(MONTHS));
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
    let mut rng = Rng(SEED);
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
        news.push(ExportNews {
            id,
            revisions: vec![ExportRevision {
                id,
                version: 1,
                user_id,
                created_at: created,
                slug: slug.clone(),
                title: title.clone(),
                lead: lead.clone(),
                body: body.clone(),
                news_date,
                status: NewsStatus::Published,
                publish_at: Some(published),
                unpublish_at: None,
                contact_ids: contact_ids.clone(),
            }],
            slug,
            title,
            lead,
            body,
            news_date,
            status: NewsStatus::Published,
            publish_at: Some(published),
            unpublish_at: None,
            deleted_at: None,
            version: 1,
            created_at: created,
            updated_at: created,
            contact_ids,
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
        sites: vec![ExportSite {
            id: 1,
            name: SITE_NAME.to_string(),
            created_at: start,
            contacts,
            topics,
            websites,
            news,
            audit_log: Vec::new(),
        }],
    }
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
        assert_eq!(small.sites[0].news[0].title, PROBE_TITLE);
    }

    #[test]
    fn bodies_have_paragraphs_a_list_and_a_quote() {
        let data = export(500);
        for n in &data.sites[0].news {
            assert!(n.body.matches("\n\n").count() >= 4, "{}", n.body);
            assert!(n.body.contains("\n- "), "{}", n.body);
            assert!(n.body.contains("> »"), "{}", n.body);
        }
        let word_in_titles = data.sites[0]
            .news
            .iter()
            .filter(|n| n.title.to_lowercase().contains(SEARCH_WORD))
            .count();
        assert!(word_in_titles > 0);
    }
}
