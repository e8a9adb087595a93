//! Removing metadata from image containers without re-encoding the pixels.
//!
//! Each format is walked segment by segment (JPEG markers, PNG chunks, RIFF
//! chunks) and only what is needed to show the image is kept: pixels, colour
//! information (ICC profiles, gamma, transparency) and animation control.
//! Everything else goes: EXIF (GPS position, camera, serial numbers), XMP,
//! IPTC, comments, text chunks, unknown chunks and anything after the end of
//! the image. A container that ends before its end marker is damaged.

use crate::FileType;

/// The container is damaged (truncated, or a length points past the end).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Damaged;

/// `bytes` of an image of `file_type` with every metadata segment removed.
/// GIF is returned as it is: it carries no EXIF.
pub(crate) fn strip(file_type: FileType, bytes: &[u8]) -> Result<Vec<u8>, Damaged> {
    match file_type {
        FileType::Jpeg => jpeg(bytes),
        FileType::Png => png(bytes),
        FileType::Webp => webp(bytes),
        FileType::Gif | FileType::Pdf => Ok(bytes.to_vec()),
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
