//! The demo municipality's identity: a logo (an SVG drawing of a white
//! shield with the fjord's waves, on transparent ground), its footer's facts
//! (fictional: the CVR and EAN numbers only pass their check digits) and a
//! front page led by the climate plan, with shortcuts to the demo's most
//! asked-for pages.

use std::collections::HashMap;

use raadhus_domain::settings::SettingsForm;
use raadhus_domain::{BestBetInput, FrontPage, SiteId, SiteSettings};
use raadhus_store::{NewsFilter, Page};
use raadhus_usecases::{Actor, MediaFields, Upload, UseCases};

/// The article the demo's front page leads with.
const LEAD_STORY: &str = "Byrådet vedtager klimaplan";

/// The demo page the footer's privacy link leads to.
const PRIVACY_PAGE: &str = "/om-kommunen/privatlivspolitik";

/// The front page's "Genveje": the demo's top tasks, in order.
const SHORTCUTS: [&str; 8] = [
    "/borger/affald-og-genbrug/storskrald",
    "/borger/skole-og-uddannelse/skoleindskrivning",
    "/borger/borgerservice/pas-og-koerekort",
    "/borger/borgerservice/flytning",
    "/borger/aeldre-og-sundhed/hjemmehjaelp",
    "/erhverv/byggeri/byggetilladelse",
    "/politik/byraadet/dagsordener-og-referater",
    "/om-kommunen/job",
];

/// The demo's best bets ("Anbefalede resultater"): phrase, target, title.
const BEST_BETS: [(&str, &str, Option<&str>); 3] = [
    ("affald", "/borger/affald-og-genbrug", None),
    ("pas", "/borger/borgerservice/pas-og-koerekort", None),
    (
        "skat",
        "https://skat.dk",
        Some("Skattestyrelsen: skat for borgere"),
    ),
];

/// Uploads the logo, saves the settings under `name`, composes the front
/// page and pins the best bets; `pages` gives the demo pages' ids by
/// address.
pub async fn add(
    usecases: &UseCases,
    site: SiteId,
    name: &str,
    pages: &HashMap<String, i64>,
    limits: raadhus_media::Limits,
) -> Result<(), String> {
    let by = Actor::cli();
    let page = |path: &str| {
        pages
            .get(path)
            .copied()
            .ok_or_else(|| format!("demo identity: no demo page {path}"))
    };
    let shortcuts = SHORTCUTS
        .iter()
        .map(|path| page(path))
        .collect::<Result<Vec<_>, _>>()?;
    let logo = usecases
        .upload_media(
            site,
            &by,
            Upload {
                filename: "vesterfjord-logo.svg".into(),
                bytes: LOGO.as_bytes().to_vec(),
                fields: MediaFields {
                    title: Some("Vesterfjord Kommunes logo".into()),
                    alt: Some("Vesterfjord Kommunes våbenskjold: bølger på en hvid skjold".into()),
                    ..MediaFields::default()
                },
            },
            limits,
        )
        .await
        .map_err(|e| format!("demo logo: {e}"))?;
    let links = [
        ("Facebook", "https://www.facebook.com/vesterfjordkommune"),
        (
            "LinkedIn",
            "https://www.linkedin.com/company/vesterfjord-kommune",
        ),
    ]
    .map(|(label, url)| (label.to_string(), url.to_string()));
    let settings = SiteSettings::new(SettingsForm {
        name,
        logo_id: Some(logo.id),
        brand_color: Some("#0b4f6c"),
        address: Some("Rådhustorvet 1\n9999 Vesterfjord"),
        phone: Some("72 41 10 00"),
        email: Some("kommunen@vesterfjord.example"),
        cvr: Some("12345674"),
        ean: Some("5798000012349"),
        opening_hours: Some(
            "Borgerservice: mandag-onsdag kl. 10-15, torsdag kl. 10-17, fredag kl. 10-13\nTelefontid: mandag-fredag kl. 8-15",
        ),
        privacy_page_id: Some(page(PRIVACY_PAGE)?),
        social_links: &links,
        menu_news: true,
        menu_directory: true,
        // No accessibility statement: a municipality makes its own in the
        // WAS-tool (the admin reminds editors of it).
        ..SettingsForm::default()
    })
    .map_err(|e| format!("demo settings: {e}"))?;
    usecases
        .save_site_settings(site, &by, settings)
        .await
        .map_err(|e| format!("demo settings: {e}"))?;
    let filter = NewsFilter {
        title: Some(LEAD_STORY.into()),
        ..NewsFilter::default()
    };
    let (rows, _) = usecases
        .store()
        .news_rows(site, &filter, usecases.now(), Page { number: 1, size: 1 })
        .await
        .map_err(|e| e.to_string())?;
    let front = FrontPage::new(rows.first().map(|r| r.summary.id), &shortcuts)
        .map_err(|e| format!("demo front page: {e}"))?;
    usecases
        .save_front_page(site, &by, front)
        .await
        .map_err(|e| format!("demo front page: {e}"))?;
    for (phrase, target, title) in BEST_BETS {
        let input = BestBetInput::new(phrase, target, title)
            .map_err(|e| format!("demo best bet {phrase}: {e}"))?;
        usecases
            .create_best_bet(site, &by, &input)
            .await
            .map_err(|e| format!("demo best bet {phrase}: {e}"))?;
    }
    Ok(())
}

/// The logo: a white shield with three waves cut out of it, on
/// transparent ground, drawn as SVG (sharp at every size).
const LOGO: &str = concat!(
    r##"<svg xmlns="http://www.w3.org/2000/svg" width="80" height="96" viewBox="0 0 80 96">"##,
    r##"<title>Vesterfjord Kommunes våbenskjold</title>"##,
    r##"<mask id="boelger"><rect width="80" height="96" fill="#fff"/>"##,
    r##"<path d="M6 40q8.5-5 17 0t17 0t17 0t17 0M6 53q8.5-5 17 0t17 0t17 0t17 0M6 66q8.5-5 17 0t17 0t17 0t17 0" "##,
    r##"fill="none" stroke="#000" stroke-width="5"/></mask>"##,
    r##"<path d="M3 3H77V53C77 75 60 88 40 94C20 88 3 75 3 53Z" fill="#fff" mask="url(#boelger)"/>"##,
    "</svg>"
);

#[cfg(test)]
mod tests {
    use raadhus_media::{FileType, Limits, Prepared, prepare};

    #[test]
    fn the_demo_logo_is_a_drawing_of_its_size() {
        let Ok(Prepared::Image {
            file_type,
            width,
            height,
            bytes,
        }) = prepare(super::LOGO.as_bytes(), &Limits::default())
        else {
            panic!("not taken as a drawing");
        };
        assert_eq!((file_type, width, height), (FileType::Svg, 80, 96));
        // The check keeps every byte of it.
        assert_eq!(String::from_utf8(bytes).unwrap(), super::LOGO);
    }
}
