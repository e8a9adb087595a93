//! File sizes as people read them.

/// "2,1 MB", "840 kB", "512 B" (Danish decimal comma; 1 MB = 1,000,000 B as
/// file managers say it). Kilobytes are whole; megabytes and gigabytes have
/// one decimal below 100 and none from there.
pub fn format_size(bytes: u64) -> String {
    const KB: u64 = 1_000;
    const MB: u64 = 1_000_000;
    const GB: u64 = 1_000_000_000;
    if bytes < KB {
        return format!("{bytes} B");
    }
    // Rounded half up at every step, so 999,5 kB reads "1,0 MB".
    let kb = rounded(bytes, KB);
    if kb < 1_000 {
        return format!("{kb} kB");
    }
    let mb_tenths = rounded(bytes, MB / 10);
    if mb_tenths < 1_000 {
        return format!("{},{} MB", mb_tenths / 10, mb_tenths % 10);
    }
    let mb = rounded(bytes, MB);
    if mb < 1_000 {
        return format!("{mb} MB");
    }
    let gb_tenths = rounded(bytes, GB / 10);
    if gb_tenths < 1_000 {
        return format!("{},{} GB", gb_tenths / 10, gb_tenths % 10);
    }
    format!("{} GB", rounded(bytes, GB))
}

/// `bytes / unit`, rounded half up.
fn rounded(bytes: u64, unit: u64) -> u64 {
    let quotient = (u128::from(bytes) + u128::from(unit) / 2) / u128::from(unit);
    u64::try_from(quotient).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::format_size;

    #[test]
    fn sizes_read_as_in_a_danish_file_manager() {
        assert_eq!(format_size(0), "0 B");
        assert_eq!(format_size(512), "512 B");
        assert_eq!(format_size(999), "999 B");
        assert_eq!(format_size(1_000), "1 kB");
        assert_eq!(format_size(1_499), "1 kB");
        assert_eq!(format_size(1_500), "2 kB");
        assert_eq!(format_size(840_000), "840 kB");
        assert_eq!(format_size(999_499), "999 kB");
        assert_eq!(format_size(999_500), "1,0 MB");
        assert_eq!(format_size(1_000_000), "1,0 MB");
        assert_eq!(format_size(2_100_000), "2,1 MB");
        assert_eq!(format_size(2_149_999), "2,1 MB");
        assert_eq!(format_size(2_150_000), "2,2 MB");
        assert_eq!(format_size(20 * 1024 * 1024), "21,0 MB");
        assert_eq!(format_size(99_940_000), "99,9 MB");
        assert_eq!(format_size(99_960_000), "100 MB");
        assert_eq!(format_size(123_456_789), "123 MB");
        assert_eq!(format_size(999_949_999), "1,0 GB");
        assert_eq!(format_size(2_500_000_000), "2,5 GB");
        assert_eq!(format_size(u64::MAX), "18446744074 GB");
    }
}
