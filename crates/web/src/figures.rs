//! How public pages show files of the media library: an article's lead
//! image, thumbnails in news lists, and the image a shared link shows.

use minijinja::Value;
use raadhus_domain::media::{Crop, MediaKind, VariantFormat};
use raadhus_domain::{Media, NewsSummary, SiteUrls};
use serde::Serialize;

/// How wide the lead image is shown: the article's column (`--measure`,
/// 42rem) on wide screens, the screen less the page's margins on phones.
const LEAD_SIZES: &str = "(min-width: 44rem) 42rem, calc(100vw - 2rem)";

/// How wide a thumbnail is shown (see the news list's section of the
/// stylesheet).
const CARD_SIZES: &str = "(min-width: 40rem) 12rem, 7rem";

/// The widest variant a shared link shows (Facebook and LinkedIn ask for
/// 1200 pixels).
const SOCIAL_WIDTH: u32 = 1200;

/// An article's lead image, as the page shows it under the headline.
#[derive(Serialize)]
pub struct LeadImage {
    /// The responsive `<picture>`: safe HTML made by [`Media::picture`].
    #[serde(skip)]
    pub picture: String,
    pub caption: Option<String>,
    pub credit: Option<String>,
}

impl LeadImage {
    /// `None` when `media` is not an image.
    pub fn new(media: &Media) -> Option<Self> {
        (media.kind == MediaKind::Image).then(|| Self {
            // The first screen: loaded at once, not lazily.
            picture: media.picture(Crop::Full, LEAD_SIZES, true, None),
            caption: media.details.caption.clone(),
            credit: media.details.credit.clone(),
        })
    }

    /// For the template: the picture as safe HTML, the rest as text.
    pub fn value(&self) -> Value {
        minijinja::context! {
            picture => Value::from_safe_string(self.picture.clone()),
            caption => self.caption.clone(),
            credit => self.credit.clone(),
        }
    }
}

/// The image a shared link of a page shows (`og:image`, the JSON-LD
/// `image`): the 1200×630 crop around the focal point, as JPEG, which
/// every link preview reads.
#[derive(Debug, Clone, Serialize)]
pub struct SocialImage {
    /// Absolute.
    pub url: String,
    pub width: u32,
    pub height: u32,
    /// Empty for a decorative image.
    pub alt: String,
}

impl SocialImage {
    /// `None` for a drawing: sites that show previews take no SVG.
    pub fn new(media: &Media, urls: &SiteUrls) -> Option<Self> {
        let (Some(w), Some(h)) = (media.width, media.height) else {
            return None;
        };
        if media.is_vector() {
            return None;
        }
        let width = Crop::Social
            .widths(w, h)
            .into_iter()
            .filter(|x| *x <= SOCIAL_WIDTH)
            .max()?;
        let (width, height) = Crop::Social.size(w, h, width);
        Some(Self {
            url: urls.absolute(&media.variant_url(Crop::Social, width, VariantFormat::Jpeg)),
            width,
            height,
            alt: media.alt().to_string(),
        })
    }

    /// schema.org `ImageObject`.
    pub fn json_ld(&self) -> serde_json::Value {
        serde_json::json!({
            "@type": "ImageObject",
            "url": self.url,
            "width": self.width,
            "height": self.height,
        })
    }
}

/// The thumbnails of a list of `news`, in its order, each safe HTML or
/// none: the card crop of the article's lead image (of those in `images`).
///
/// The thumbnail's alt text is empty: the headline beside it names what
/// the article is about, the image is not a link of its own, and a screen
/// reader reading the alt text of every thumbnail of a list would make the
/// list twice as long to listen to without telling more (WCAG technique
/// H67, images that repeat the text next to them). The first is loaded at
/// once (it is on the first screen), the others lazily.
pub fn thumbnails(news: &[NewsSummary], images: &[Media]) -> Vec<Value> {
    news.iter()
        .enumerate()
        .map(|(i, n)| {
            n.image_id
                .and_then(|id| images.iter().find(|m| m.id == id))
                .map(|m| {
                    Value::from_safe_string(m.picture(Crop::Card, CARD_SIZES, i == 0, Some("")))
                })
                .unwrap_or(Value::from(()))
        })
        .collect()
}
