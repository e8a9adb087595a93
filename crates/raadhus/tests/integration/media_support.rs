//! Files for the media tests, made here (images drawn, PDFs written by
//! hand), and uploading them through the real API.

use crate::support::{Page, TestApp};

/// A multipart/form-data body of `fields` and one file part.
pub fn multipart(file: Option<(&str, &[u8])>, fields: &[(&str, &str)]) -> (String, Vec<u8>) {
    const BOUNDARY: &str = "raadhus-test-boundary-7f3a";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    if let Some((filename, bytes)) = file {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n\
                 Content-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={BOUNDARY}"), body)
}

impl TestApp {
    /// `POST /api/v1/media` with `file` named `filename` and `fields`.
    pub async fn upload(
        &self,
        token: &str,
        filename: &str,
        bytes: &[u8],
        fields: &[(&str, &str)],
    ) -> Page {
        let (content_type, body) = multipart(Some((filename, bytes)), fields);
        self.send_bytes("POST", "/api/v1/media", token, &content_type, body)
            .await
    }

    /// Uploads an image with a good alt text; its JSON.
    pub async fn uploaded_image(&self, token: &str, width: u32, height: u32) -> serde_json::Value {
        let page = self
            .upload(
                token,
                "havnen.png",
                &png(width, height),
                &[("alt", "Havnen i morgensol med fiskerbåde")],
            )
            .await;
        assert_eq!(page.status, 201, "{}", page.body);
        page.json()
    }
}

/// A photo-like PNG: gradients, so that variants have something to scale.
pub fn png(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([
            (x * 255 / width.max(1)) as u8,
            (y * 255 / height.max(1)) as u8,
            90,
        ])
    });
    let mut bytes = std::io::Cursor::new(Vec::new());
    image
        .write_to(&mut bytes, image::ImageFormat::Png)
        .expect("encode PNG");
    bytes.into_inner()
}

/// A JPEG `width`×`height` (as stored) with an EXIF segment naming the
/// camera ("SecretCam") and asking for orientation 6 (turn 90° clockwise).
pub fn jpeg_with_exif(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, _| {
        image::Rgb([(x * 255 / width.max(1)) as u8, 40, 200])
    });
    let mut jpeg = std::io::Cursor::new(Vec::new());
    image
        .write_to(&mut jpeg, image::ImageFormat::Jpeg)
        .expect("encode JPEG");
    let jpeg = jpeg.into_inner();
    // TIFF, little-endian: IFD0 at 8 with Make (ASCII at 38) and Orientation.
    let mut tiff = b"II*\x00\x08\x00\x00\x00".to_vec();
    tiff.extend_from_slice(&2u16.to_le_bytes());
    for (tag, kind, count, value) in [(0x010Fu16, 2u16, 10u32, 38u32), (0x0112, 3, 1, 6)] {
        tiff.extend_from_slice(&tag.to_le_bytes());
        tiff.extend_from_slice(&kind.to_le_bytes());
        tiff.extend_from_slice(&count.to_le_bytes());
        tiff.extend_from_slice(&value.to_le_bytes());
    }
    tiff.extend_from_slice(&0u32.to_le_bytes());
    tiff.extend_from_slice(b"SecretCam\x00");
    let mut app1 = b"Exif\x00\x00".to_vec();
    app1.extend_from_slice(&tiff);
    let mut out = vec![0xFF, 0xD8, 0xFF, 0xE1];
    out.extend_from_slice(&u16::try_from(app1.len() + 2).expect("short").to_be_bytes());
    out.extend_from_slice(&app1);
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// A PNG whose header claims `width`×`height` pixels but holds almost none.
pub fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = png(8, 8);
    // IHDR data starts at 16: width, height; its CRC covers type and data.
    bytes[16..20].copy_from_slice(&width.to_be_bytes());
    bytes[20..24].copy_from_slice(&height.to_be_bytes());
    let mut crc = flate2::Crc::new();
    crc.update(&bytes[12..29]);
    bytes[29..33].copy_from_slice(&crc.sum().to_be_bytes());
    bytes
}

/// A one-page PDF showing `text`; `tagged`: with a structure tree,
/// `/MarkInfo`, `/Lang (da)` and a title, as an accessible PDF has.
pub fn pdf(text: &str, tagged: bool) -> Vec<u8> {
    let content = format!("BT /F1 12 Tf 72 720 Td ({text}) Tj ET");
    let catalog = if tagged {
        "<< /Type /Catalog /Pages 2 0 R /MarkInfo << /Marked true >> /StructTreeRoot 6 0 R /Lang (da) >>"
    } else {
        "<< /Type /Catalog /Pages 2 0 R >>"
    };
    let info = if tagged {
        "<< /Title (Lokalplan 412 for havnen) >>"
    } else {
        "<< >>"
    };
    let objects = [
        catalog.to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_string(),
        format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
        "<< /Type /StructTreeRoot >>".to_string(),
        info.to_string(),
    ];
    let mut out = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{object}\nendobj\n", i + 1).as_bytes());
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
            "trailer\n<< /Size {} /Root 1 0 R /Info 7 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}
