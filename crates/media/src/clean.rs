//! Removing metadata from image containers without re-encoding the pixels.
//!
//! Each format is walked segment by segment (JPEG markers, PNG chunks, RIFF
//! chunks, GIF blocks) and only what is needed to show the image is kept: pixels, colour
//! information (ICC profiles, gamma, transparency) and animation control.
//! Everything else goes: EXIF (GPS position, camera, serial numbers), XMP,
//! IPTC, comments, text chunks, unknown chunks and anything after the end of
//! the image. A container that ends before its end marker is damaged.

use crate::FileType;

/// The container is damaged (truncated, or a length points past the end).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Damaged;

/// `bytes` of an image of `file_type` with every metadata segment removed.
pub(crate) fn strip(file_type: FileType, bytes: &[u8]) -> Result<Vec<u8>, Damaged> {
    match file_type {
        FileType::Jpeg => jpeg(bytes),
        FileType::Png => png(bytes),
        FileType::Webp => webp(bytes),
        FileType::Gif => gif(bytes),
        FileType::Pdf | FileType::Svg => Ok(bytes.to_vec()),
    }
}

fn be16(bytes: &[u8], at: usize) -> Result<usize, Damaged> {
    match bytes.get(at..at + 2) {
        Some(b) => Ok(usize::from(u16::from_be_bytes([b[0], b[1]]))),
        None => Err(Damaged),
    }
}

/// A JPEG without APP1–APP15 segments (except the ICC profile in APP2 and
/// Adobe's colour transform in APP14), without comments, ending at EOI.
fn jpeg(bytes: &[u8]) -> Result<Vec<u8>, Damaged> {
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&[0xFF, 0xD8]);
    let mut i = 2;
    loop {
        if bytes.get(i) != Some(&0xFF) {
            return Err(Damaged);
        }
        // Any number of 0xFF fill bytes may precede a marker.
        while bytes.get(i) == Some(&0xFF) {
            i += 1;
        }
        let marker = *bytes.get(i).ok_or(Damaged)?;
        i += 1;
        match marker {
            0xD9 => {
                out.extend_from_slice(&[0xFF, 0xD9]);
                return Ok(out);
            }
            0xD0..=0xD7 | 0x01 => out.extend_from_slice(&[0xFF, marker]),
            0x00 | 0xD8 => return Err(Damaged),
            _ => {
                let len = be16(bytes, i)?;
                let end = i + len;
                if len < 2 || end > bytes.len() {
                    return Err(Damaged);
                }
                if keep_jpeg_segment(marker, &bytes[i + 2..end]) {
                    out.extend_from_slice(&[0xFF, marker]);
                    out.extend_from_slice(&bytes[i..end]);
                }
                i = end;
                if marker == 0xDA {
                    let scan_end = entropy_end(bytes, i)?;
                    out.extend_from_slice(&bytes[i..scan_end]);
                    i = scan_end;
                }
            }
        }
    }
}

/// Where the entropy-coded data starting at `from` ends: at the first marker
/// that is not a stuffed byte or a restart marker.
fn entropy_end(bytes: &[u8], from: usize) -> Result<usize, Damaged> {
    let mut j = from;
    loop {
        let at = j + memchr_ff(&bytes[j..]).ok_or(Damaged)?;
        match bytes.get(at + 1) {
            None => return Err(Damaged),
            Some(0x00 | 0xD0..=0xD7) => j = at + 2,
            Some(_) => return Ok(at),
        }
    }
}

fn memchr_ff(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == 0xFF)
}

fn keep_jpeg_segment(marker: u8, data: &[u8]) -> bool {
    match marker {
        // JFIF (its optional thumbnail is the image itself).
        0xE0 => data.starts_with(b"JFIF\0"),
        0xE2 => data.starts_with(b"ICC_PROFILE\0"),
        0xEE => data.starts_with(b"Adobe"),
        0xE1..=0xEF | 0xFE => false,
        _ => true,
    }
}

/// The PNG chunks needed to show the image, colours and animation included.
const PNG_KEEP: [&[u8; 4]; 17] = [
    b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"cHRM", b"gAMA", b"iCCP", b"sBIT", b"sRGB",
    b"cICP", b"mDCv", b"cLLi", b"bKGD", b"pHYs", b"acTL", b"fcTL",
];

/// A PNG with only the chunks of [`PNG_KEEP`] (and APNG's `fdAT`), ending at IEND.
fn png(bytes: &[u8]) -> Result<Vec<u8>, Damaged> {
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&bytes[..8]);
    let mut i = 8;
    loop {
        let head = bytes.get(i..i + 8).ok_or(Damaged)?;
        let len = u32::from_be_bytes([head[0], head[1], head[2], head[3]]);
        let kind = &head[4..8];
        let end = usize::try_from(len)
            .ok()
            .and_then(|len| (i + 12).checked_add(len))
            .ok_or(Damaged)?;
        if end > bytes.len() {
            return Err(Damaged);
        }
        if kind == b"fdAT" || PNG_KEEP.iter().any(|k| k.as_slice() == kind) {
            out.extend_from_slice(&bytes[i..end]);
        }
        if kind == b"IEND" {
            return Ok(out);
        }
        i = end;
    }
}

/// A WebP with only its image, alpha, animation and ICC chunks: without
/// `EXIF` and `XMP ` (and their flags in `VP8X`) or unknown chunks.
fn webp(bytes: &[u8]) -> Result<Vec<u8>, Damaged> {
    let riff_len = u32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]);
    let riff_end = usize::try_from(riff_len)
        .ok()
        .and_then(|n| n.checked_add(8))
        .ok_or(Damaged)?;
    if riff_end > bytes.len() || riff_end < 12 {
        return Err(Damaged);
    }
    let mut out = Vec::with_capacity(riff_end);
    out.extend_from_slice(&bytes[..12]);
    let mut i = 12;
    while i < riff_end {
        let head = bytes.get(i..i + 8).ok_or(Damaged)?;
        let kind = [head[0], head[1], head[2], head[3]];
        let len = u32::from_le_bytes([head[4], head[5], head[6], head[7]]);
        // Chunks are padded to an even length.
        let padded = usize::try_from(len).map_err(|_| Damaged)? + (len as usize & 1);
        let end = (i + 8).checked_add(padded).ok_or(Damaged)?;
        if end > riff_end {
            return Err(Damaged);
        }
        match &kind {
            b"VP8X" => {
                let start = out.len();
                out.extend_from_slice(&bytes[i..end]);
                // Flags byte: bit 3 EXIF, bit 2 XMP.
                if let Some(flags) = out.get_mut(start + 8) {
                    *flags &= !0b0000_1100;
                }
            }
            b"VP8 " | b"VP8L" | b"ALPH" | b"ANIM" | b"ANMF" | b"ICCP" => {
                out.extend_from_slice(&bytes[i..end]);
            }
            // EXIF, XMP and anything unknown.
            _ => {}
        }
        i = end;
    }
    let size = u32::try_from(out.len() - 8).map_err(|_| Damaged)?;
    out[4..8].copy_from_slice(&size.to_le_bytes());
    Ok(out)
}

/// GIF application extensions that are kept: looping and the colour profile.
const GIF_KEEP_APPLICATIONS: [&[u8; 11]; 3] = [b"NETSCAPE2.0", b"ANIMEXTS1.0", b"ICCRGBG1012"];

/// A GIF without comment extensions and application extensions other than
/// [`GIF_KEEP_APPLICATIONS`] (XMP lives in one), ending at its trailer. A
/// GIF that ends between two blocks without a trailer gets one.
fn gif(bytes: &[u8]) -> Result<Vec<u8>, Damaged> {
    let colour_table = |packed: u8| {
        if packed & 0x80 == 0 {
            0
        } else {
            3 << ((packed & 7) + 1)
        }
    };
    let screen = bytes.get(..13).ok_or(Damaged)?;
    let mut i = 13 + colour_table(screen[10]);
    if i > bytes.len() {
        return Err(Damaged);
    }
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&bytes[..i]);
    loop {
        let Some(&block) = bytes.get(i) else {
            out.push(0x3B);
            return Ok(out);
        };
        let start = i;
        let keep = match block {
            0x3B => {
                out.push(0x3B);
                return Ok(out);
            }
            0x21 => {
                let label = *bytes.get(i + 1).ok_or(Damaged)?;
                i += 2;
                match label {
                    0xFE => false,
                    0xFF => {
                        let id = bytes.get(i + 1..i + 12).ok_or(Damaged)?;
                        bytes[i] == 11 && GIF_KEEP_APPLICATIONS.iter().any(|k| k.as_slice() == id)
                    }
                    _ => true,
                }
            }
            0x2C => {
                let descriptor = bytes.get(i..i + 10).ok_or(Damaged)?;
                // Descriptor, local colour table, LZW minimum code size.
                i += 10 + colour_table(descriptor[9]) + 1;
                true
            }
            _ => return Err(Damaged),
        };
        i = sub_blocks_end(bytes, i)?;
        if keep {
            out.extend_from_slice(&bytes[start..i]);
        }
    }
}

/// Where the GIF sub-blocks starting at `from` end (after their terminator).
fn sub_blocks_end(bytes: &[u8], from: usize) -> Result<usize, Damaged> {
    let mut i = from;
    loop {
        let size = usize::from(*bytes.get(i).ok_or(Damaged)?);
        i += 1 + size;
        if size == 0 {
            return Ok(i);
        }
    }
}
