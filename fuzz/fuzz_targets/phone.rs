//! Phone numbers: `Phone::parse`.
//!
//! For any text: no panic; a number that is accepted is stored as E.164
//! (`+` and 8 to 15 digits, a Danish one as `+45` and 8 digits); its display
//! form (`27 85 24 51`), its E.164 form and its JSON all read back as the
//! same number; `tel:` links are the E.164 form.

#![no_main]

use libfuzzer_sys::fuzz_target;
use raadhus_domain::Phone;

fuzz_target!(|text: &str| {
    let Ok(phone) = Phone::parse(text) else {
        return;
    };
    let e164 = phone.e164();
    let digits = e164.strip_prefix('+').expect("E.164 starts with +");
    assert!(
        (8..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()),
        "{text:?} stored as {e164:?}"
    );
    assert!(!digits.starts_with('0'), "{text:?} stored as {e164:?}");
    if let Some(national) = digits.strip_prefix("45") {
        assert_eq!(national.len(), 8, "{text:?} stored as {e164:?}");
    }
    assert_eq!(phone.tel_uri(), format!("tel:{e164}"));

    let shown = phone.display();
    assert_eq!(
        Phone::parse(&shown).as_ref(),
        Ok(&phone),
        "display {shown:?}"
    );
    assert_eq!(phone.to_string(), shown);
    assert_eq!(Phone::from_e164(e164).as_ref(), Ok(&phone));
    assert_eq!(Phone::parse(e164).as_ref(), Ok(&phone));

    let json = serde_json::to_string(&phone).expect("a phone serializes");
    let back: Phone = serde_json::from_str(&json).expect("a phone deserializes");
    assert_eq!(back, phone);
});
