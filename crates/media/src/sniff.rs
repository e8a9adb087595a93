//! What a file is, judged from its first bytes.

use crate::FileType;

/// What the first bytes of an upload say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sniffed {
    Known(FileType),
    Unknown,
}

/// Judges `bytes` by their signature.
pub(crate) fn sniff(bytes: &[u8]) -> Sniffed {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Sniffed::Known(FileType::Jpeg)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Sniffed::Known(FileType::Png)
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Sniffed::Known(FileType::Gif)
    } else if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
        Sniffed::Known(FileType::Webp)
    } else if bytes.starts_with(b"%PDF-") {
        Sniffed::Known(FileType::Pdf)
    } else if is_svg(bytes) {
        Sniffed::Known(FileType::Svg)
    } else {
        Sniffed::Unknown
    }
}

/// Whether `bytes` look like an SVG document: XML (UTF-8, with or without a
/// byte order mark, or UTF-16) whose first element, within the first
/// kilobytes, is `<svg`, after any declaration, comments and doctype.
fn is_svg(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    let text: String = if let Some(rest) = head.strip_prefix(b"\xFF\xFE") {
        utf16(rest, u16::from_le_bytes)
    } else if let Some(rest) = head.strip_prefix(b"\xFE\xFF") {
        utf16(rest, u16::from_be_bytes)
    } else {
        let rest = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
        String::from_utf8_lossy(rest).into_owned()
    };
    let lower = text.to_ascii_lowercase();
    let mut rest = lower.trim_start();
    loop {
        if rest.starts_with("<svg") {
            return true;
        }
        let skip = if rest.starts_with("<?") {
            rest.find("?>").map(|i| i + 2)
        } else if rest.starts_with("<!--") {
            rest.find("-->").map(|i| i + 3)
        } else if rest.starts_with("<!doctype") {
            // A doctype that names svg is enough, whatever follows it.
            if rest[..rest.find('>').unwrap_or(rest.len())].contains("svg") {
                return true;
            }
            rest.find('>').map(|i| i + 1)
        } else {
            None
        };
        match skip {
            Some(n) => rest = rest[n..].trim_start(),
            None => return false,
        }
    }
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> String {
    let units: Vec<u16> = bytes
        .chunks_exact(2)
        .map(|pair| unit([pair[0], pair[1]]))
        .collect();
    String::from_utf16_lossy(&units)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_decide_the_type() {
        assert_eq!(
            sniff(b"\xFF\xD8\xFF\xE0rest"),
            Sniffed::Known(FileType::Jpeg)
        );
        assert_eq!(
            sniff(b"\x89PNG\r\n\x1a\nrest"),
            Sniffed::Known(FileType::Png)
        );
        assert_eq!(sniff(b"GIF89a...."), Sniffed::Known(FileType::Gif));
        assert_eq!(
            sniff(b"RIFF\0\0\0\0WEBPVP8 "),
            Sniffed::Known(FileType::Webp)
        );
        assert_eq!(sniff(b"RIFF\0\0\0\0WAVEfmt "), Sniffed::Unknown);
        assert_eq!(sniff(b"%PDF-1.7\n"), Sniffed::Known(FileType::Pdf));
        assert_eq!(sniff(b"<!DOCTYPE html><html>"), Sniffed::Unknown);
        assert_eq!(sniff(b"MZ\x90\0\x03"), Sniffed::Unknown);
        assert_eq!(sniff(b"\x7fELF\x02\x01"), Sniffed::Unknown);
        assert_eq!(sniff(b""), Sniffed::Unknown);
    }

    #[test]
    fn svg_is_recognised_in_its_usual_dresses() {
        let plain = "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>";
        assert_eq!(sniff(plain.as_bytes()), Sniffed::Known(FileType::Svg));
        let declared =
            format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- logo -->\n{plain}");
        assert_eq!(sniff(declared.as_bytes()), Sniffed::Known(FileType::Svg));
        let with_bom = [b"\xEF\xBB\xBF".as_slice(), declared.as_bytes()].concat();
        assert_eq!(sniff(&with_bom), Sniffed::Known(FileType::Svg));
        let doctype = "<?xml version=\"1.0\"?>\n<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"x\">\n<SVG>";
        assert_eq!(sniff(doctype.as_bytes()), Sniffed::Known(FileType::Svg));
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(plain.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(sniff(&utf16), Sniffed::Known(FileType::Svg));
        assert_eq!(sniff(b"<?xml version=\"1.0\"?><rss/>"), Sniffed::Unknown);
        assert_eq!(sniff(b"  <html><svg></svg></html>"), Sniffed::Unknown);
    }
}
