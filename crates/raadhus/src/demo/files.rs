//! The demo's files: a picture drawn in code and a short, tagged PDF, both
//! added to the library through the real upload and shown by the demo's
//! article about the climate plan (its lead image, and a link in its text).

use raadhus_domain::{NewsDraft, SiteId};
use raadhus_store::{NewsFilter, Page};
use raadhus_usecases::{Actor, MediaFields, Upload, UseCases};

/// The demo article that shows the files.
const ARTICLE: &str = "Byrådet vedtager klimaplan";

/// Adds the demo's picture and document and shows them in the climate
/// plan's article. Nothing is added when the article is not there.
pub async fn add(
    usecases: &UseCases,
    site: SiteId,
    limits: raadhus_media::Limits,
) -> Result<(), String> {
    let store = usecases.store();
    let filter = NewsFilter {
        title: Some(ARTICLE.into()),
        ..NewsFilter::default()
    };
    let (rows, _) = store
        .news_rows(site, &filter, usecases.now(), Page { number: 1, size: 1 })
        .await
        .map_err(|e| e.to_string())?;
    let Some(row) = rows.first() else {
        return Ok(());
    };
    let by = Actor::cli();
    let picture = usecases
        .upload_media(
            site,
            &by,
            Upload {
                filename: "vindmoeller-ved-fjorden.png".into(),
                bytes: drawing(1600, 1000)?,
                fields: MediaFields {
                    title: Some("Vindmøller ved fjorden".into()),
                    alt: Some(
                        "Tegning af tre vindmøller på en grøn bakke ved fjorden i solskin".into(),
                    ),
                    caption: Some("Vind og sol skal dække mere af kommunens energiforbrug.".into()),
                    credit: Some("Vesterfjord Kommune".into()),
                    focal_x: Some("620".into()),
                    ..MediaFields::default()
                },
            },
            limits,
        )
        .await
        .map_err(|e| format!("demo picture: {e}"))?;
    let plan = usecases
        .upload_media(
            site,
            &by,
            Upload {
                filename: "klimaplan-2040-kort-fortalt.pdf".into(),
                bytes: pdf("Klimaplan 2040: kort fortalt", PLAN),
                fields: MediaFields::default(),
            },
            limits,
        )
        .await
        .map_err(|e| format!("demo document: {e}"))?;
    let article = store
        .news_by_id(site, row.summary.id)
        .await
        .map_err(|e| e.to_string())?
        .ok_or("the demo article vanished")?;
    let mut content = article.content.clone();
    content.image_id = Some(picture.id);
    content.body = format!(
        "{}\n\nLæs [Klimaplan 2040: kort fortalt](media:{}).",
        content.body, plan.id
    );
    usecases
        .update_news(
            site,
            &by,
            article.id,
            article.version,
            NewsDraft::unchanged(content),
        )
        .await
        .map_err(|e| format!("demo article: {e}"))?;
    Ok(())
}

/// The demo document: a headline and its paragraphs.
const PLAN: &[&str] = &[
    "Klimaplan 2040: kort fortalt",
    "Vesterfjord Kommune skal være klimaneutral i 2040.",
    "Vi sætter flere solceller på kommunens bygninger og skoler.",
    "Busserne kører på el fra 2030, og der kommer flere ladestandere.",
    "Landmænd, virksomheder og borgere kan få råd om energibesparelser.",
    "Byrådet følger planen hvert år på et åbent møde.",
];

/// A one-page PDF, tagged for screen readers (the first line a heading,
/// the others paragraphs), in Danish, with a title: one that passes the
/// library's accessibility check. Text in Helvetica (WinAnsi encoding, so
/// æ, ø and å are one byte each).
pub fn pdf(title: &str, lines: &[&str]) -> Vec<u8> {
    let mut content = b"BT /F1 13 Tf 16 TL 72 770 Td\n".to_vec();
    for (mcid, line) in lines.iter().enumerate() {
        let tag = if mcid == 0 { "H1" } else { "P" };
        content.extend_from_slice(format!("/{tag} <</MCID {mcid}>> BDC (").as_bytes());
        content.extend(pdf_text(line));
        content.extend_from_slice(b") Tj T* EMC\n");
    }
    content.extend_from_slice(b"ET");
    // Objects 1-9, then one structure element per line from 10.
    let elements: Vec<String> = (0..lines.len())
        .map(|i| format!("{} 0 R", 10 + i))
        .collect();
    let elements = elements.join(" ");
    let mut objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R /Lang (da) /MarkInfo << /Marked true >> \
          /StructTreeRoot 7 0 R /ViewerPreferences << /DisplayDocTitle true >> >>"
            .to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /StructParents 0 \
          /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>"
            .to_vec(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
            .to_vec(),
        [
            format!("<< /Length {} >>\nstream\n", content.len()).into_bytes(),
            content,
            b"\nendstream".to_vec(),
        ]
        .concat(),
        [b"<< /Title (".to_vec(), pdf_text(title), b") >>".to_vec()].concat(),
        b"<< /Type /StructTreeRoot /K 8 0 R /ParentTree 9 0 R >>".to_vec(),
        format!("<< /Type /StructElem /S /Document /P 7 0 R /K [{elements}] >>").into_bytes(),
        format!("<< /Nums [0 [{elements}]] >>").into_bytes(),
    ];
    for i in 0..lines.len() {
        let tag = if i == 0 { "H1" } else { "P" };
        objects.push(
            format!("<< /Type /StructElem /S /{tag} /P 8 0 R /Pg 3 0 R /K {i} >>").into_bytes(),
        );
    }
    let mut out = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (i, object) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(object);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R /Info 6 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// Text for a PDF string: one byte a character (Latin-1, which WinAnsi
/// and PDFDocEncoding share for Danish letters), `(`, `)` and `\` escaped,
/// characters beyond Latin-1 as `?`.
fn pdf_text(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '(' | ')' | '\\' => out.extend_from_slice(&[b'\\', c as u8]),
            c => out.push(u8::try_from(u32::from(c)).unwrap_or(b'?')),
        }
    }
    out
}

/// A drawing of wind turbines on a hill by the fjord, as PNG.
fn drawing(width: u32, height: u32) -> Result<Vec<u8>, String> {
    let (w, h) = (width as f32, height as f32);
    let turbines = [(0.55, 0.42), (0.68, 0.38), (0.81, 0.44)];
    let picture = image::RgbImage::from_fn(width, height, |x, y| {
        let (fx, fy) = (x as f32 / w, y as f32 / h);
        let hill = 0.62 - 0.12 * ((fx - 0.7) * 3.0).cos();
        let mut colour = if fy > 0.78 {
            // The fjord, darker further out.
            [40.0, 90.0 + 60.0 * (fy - 0.78), 140.0]
        } else if fy > hill {
            [70.0 + 40.0 * fx, 140.0 - 30.0 * (fy - hill), 60.0]
        } else {
            [120.0 + 80.0 * fy, 170.0 + 60.0 * fy, 235.0]
        };
        let (sx, sy) = ((fx - 0.2) * w, (fy - 0.2) * h);
        if sx * sx + sy * sy < (0.07 * h).powi(2) {
            colour = [255.0, 214.0, 90.0];
        }
        for (tx, ty) in turbines {
            let (px, py) = ((fx - tx) * w, (fy - ty) * h);
            let tower = px.abs() < 0.006 * w && py > 0.0 && fy < hill + 0.02;
            let blade = (0..3).any(|k| {
                let angle = 0.4 + k as f32 * std::f32::consts::TAU / 3.0;
                let (dx, dy) = (angle.cos(), angle.sin());
                let along = px * dx + py * dy;
                let across = (px * dy - py * dx).abs();
                along > 0.0 && along < 0.13 * h && across < 0.006 * h
            });
            if tower || blade {
                colour = [245.0, 245.0, 245.0];
            }
        }
        image::Rgb(colour.map(|c| c.clamp(0.0, 255.0) as u8))
    });
    let mut bytes = std::io::Cursor::new(Vec::new());
    picture
        .write_to(&mut bytes, image::ImageFormat::Png)
        .map_err(|e| format!("demo picture: {e}"))?;
    Ok(bytes.into_inner())
}

#[cfg(test)]
mod tests {
    use raadhus_media::{Limits, Prepared, prepare};

    #[test]
    fn the_demo_document_passes_the_accessibility_check_and_reads_in_danish() {
        let bytes = super::pdf("Klimaplan 2040: kort fortalt", super::PLAN);
        let Ok(Prepared::Document {
            accessibility,
            text,
            title,
            ..
        }) = prepare(&bytes, &Limits::default())
        else {
            panic!("not read as a document");
        };
        assert!(accessibility.passes(), "{accessibility:?}");
        assert_eq!(title.as_deref(), Some("Klimaplan 2040: kort fortalt"));
        assert!(text.contains("klimaneutral i 2040"), "{text}");
        assert!(
            text.contains("Landmænd, virksomheder og borgere kan få råd"),
            "{text}"
        );
    }

    #[test]
    fn the_demo_picture_is_an_image_of_its_size() {
        let bytes = super::drawing(1600, 1000).unwrap();
        let Ok(Prepared::Image { width, height, .. }) = prepare(&bytes, &Limits::default()) else {
            panic!("not read as an image");
        };
        assert_eq!((width, height), (1600, 1000));
    }
}
