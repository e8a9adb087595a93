//! The import file reader: `Export::read`.
//!
//! For any bytes (an import file is read as UTF-8 first): no panic, and no
//! error without a place; a file that is accepted writes back as JSON (what
//! `raadhus export` does) that reads again as the same value, and passes the
//! checks again.

#![no_main]

use libfuzzer_sys::fuzz_target;
use raadhus_domain::export::Export;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let export = match Export::read(text) {
        Ok(export) => export,
        Err(e) => {
            assert!(!e.place.is_empty() && !e.message.is_empty(), "{e:?}");
            return;
        }
    };
    assert_eq!(export.check(), Ok(()));
    let _ = export.counts().to_string();

    let written = serde_json::to_string_pretty(&export).expect("an export serializes");
    match Export::read(&written) {
        Ok(again) => assert_eq!(again, export, "changed on the way through {written}"),
        Err(e) => panic!("written file does not read back: {e}\n{written}"),
    }
});
