//! The demo municipality's identity: a logo drawn in code (a white shield
//! with the fjord's waves, on transparent ground), its footer's facts
//! (fictional: the CVR and EAN numbers only pass their check digits) and a
//! front page led by the climate plan, with shortcuts to the demo's most
//! asked-for pages.

use std::collections::HashMap;

use raadhus_domain::settings::SettingsForm;
use raadhus_domain::{FrontPage, SiteId, SiteSettings};
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

/// Uploads the logo, saves the settings under `name` and composes the
/// front page; `pages` gives the demo pages' ids by address.
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
                filename: "vesterfjord-logo.png".into(),
                bytes: logo(80, 96)?,
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
    Ok(())
}

/// A white shield with three waves cut out of it, on transparent ground,
/// as PNG.
fn logo(width: u32, height: u32) -> Result<Vec<u8>, String> {
    let (w, h) = (width as f32, height as f32);
    let picture = image::RgbaImage::from_fn(width, height, |x, y| {
        let (fx, fy) = ((x as f32 + 0.5) / w, (y as f32 + 0.5) / h);
        // The shield: straight sides down to 55 %, then a curve to the point.
        let half = if fy < 0.55 {
            0.46
        } else {
            0.46 * (1.0 - ((fy - 0.55) / 0.43).min(1.0).powf(1.6))
        };
        let inside = fy > 0.03 && fy < 0.98 && (fx - 0.5).abs() < half;
        let wave = (0..3).any(|k| {
            let centre = 0.42 + 0.14 * k as f32 + 0.035 * (fx * std::f32::consts::TAU * 2.0).sin();
            (fy - centre).abs() < 0.03
        });
        if inside && !wave {
            image::Rgba([255, 255, 255, 255])
        } else {
            image::Rgba([0, 0, 0, 0])
        }
    });
    let mut bytes = std::io::Cursor::new(Vec::new());
    picture
        .write_to(&mut bytes, image::ImageFormat::Png)
        .map_err(|e| format!("demo logo: {e}"))?;
    Ok(bytes.into_inner())
}

#[cfg(test)]
mod tests {
    use raadhus_media::{Limits, Prepared, prepare};

    #[test]
    fn the_demo_logo_is_an_image_of_its_size() {
        let bytes = super::logo(80, 96).unwrap();
        let Ok(Prepared::Image { width, height, .. }) = prepare(&bytes, &Limits::default()) else {
            panic!("not read as an image");
        };
        assert_eq!((width, height), (80, 96));
    }
}
