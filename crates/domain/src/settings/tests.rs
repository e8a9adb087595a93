use super::*;

#[test]
fn relative_luminance_matches_known_values() {
    assert!((relative_luminance([0, 0, 0]) - 0.0).abs() < 1e-9);
    assert!((relative_luminance([255, 255, 255]) - 1.0).abs() < 1e-9);
    // sRGB mid grey #777777 is about 0.1845 (WebAIM's contrast checker).
    assert!((relative_luminance([0x77, 0x77, 0x77]) - 0.1845).abs() < 1e-3);
    // Pure red, green and blue are their coefficients.
    assert!((relative_luminance([255, 0, 0]) - 0.2126).abs() < 1e-9);
    assert!((relative_luminance([0, 255, 0]) - 0.7152).abs() < 1e-9);
    assert!((relative_luminance([0, 0, 255]) - 0.0722).abs() < 1e-9);
}

#[test]
fn contrast_ratios_match_known_values() {
    assert!((contrast_ratio(1.0, 0.0) - 21.0).abs() < 1e-9);
    assert!((contrast_ratio(0.0, 1.0) - 21.0).abs() < 1e-9);
    assert!((contrast_ratio(0.5, 0.5) - 1.0).abs() < 1e-9);
    let white_on = |hex: &str| {
        let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).unwrap();
        contrast_ratio(
            1.0,
            relative_luminance([channel(1), channel(3), channel(5)]),
        )
    };
    // Known from WebAIM: #767676 is the lightest grey with 4.54:1 on white,
    // #777777 falls just short with 4.48:1.
    assert!((white_on("#767676") - 4.54).abs() < 0.01);
    assert!((white_on("#777777") - 4.48).abs() < 0.01);
    // Pure blue on white: 8.59:1; pure red: 4.00:1.
    assert!((white_on("#0000ff") - 8.59).abs() < 0.01);
    assert!((white_on("#ff0000") - 4.00).abs() < 0.01);
}

#[test]
fn brand_colour_is_read_forgivingly_and_refused_when_white_text_is_faint() {
    assert_eq!(BrandColor::parse("#1A5C8E").unwrap().as_str(), "#1a5c8e");
    assert_eq!(BrandColor::parse(" 1a5c8e ").unwrap().as_str(), "#1a5c8e");
    assert_eq!(BrandColor::parse("#15c").unwrap().as_str(), "#1155cc");
    assert_eq!(
        BrandColor::parse("#767676").unwrap().rgb(),
        [0x76, 0x76, 0x76]
    );
    for bad in ["", "#12345", "#1234567", "blue", "#gggggg", "#12 456"] {
        assert_eq!(
            BrandColor::parse(bad),
            Err(BrandColorError::Format),
            "{bad}"
        );
    }
    let faint = BrandColor::parse("#777777").unwrap_err();
    assert_eq!(
        faint.to_string(),
        "Hvid tekst på farven #777777 har kontrasten 4,47:1, men den skal være mindst 4,5:1. Vælg en mørkere farve."
    );
    assert!(BrandColor::parse("#ffffff").is_err());
    assert!(BrandColor::parse("#ff0000").is_err());
    assert!(BrandColor::parse("#000000").is_ok());
}

#[test]
fn cvr_numbers_pass_the_modulus_11_check() {
    // Two real CVR numbers (Erhvervsstyrelsen, Novo Nordisk A/S).
    assert_eq!(Cvr::parse("10150817").unwrap().as_str(), "10150817");
    assert_eq!(Cvr::parse("DK 24 25 67 90").unwrap().as_str(), "24256790");
    assert_eq!(Cvr::parse("10150818"), Err(CvrError::Check));
    assert_eq!(Cvr::parse("24256791"), Err(CvrError::Check));
    for bad in ["", "1015081", "101508170", "1015O817", "10150817a"] {
        assert_eq!(Cvr::parse(bad), Err(CvrError::Format), "{bad}");
    }
}

#[test]
fn ean_numbers_pass_the_gs1_check_digit() {
    // GS1's and Wikipedia's examples of valid EAN-13 numbers.
    assert_eq!(
        Ean::parse("4006381333931").unwrap().as_str(),
        "4006381333931"
    );
    assert_eq!(
        Ean::parse("590 1234 123457").unwrap().as_str(),
        "5901234123457"
    );
    // The Danish public sector's prefix 5798.
    assert!(Ean::parse("5798000000001").is_ok());
    assert_eq!(Ean::parse("5798000000000"), Err(EanError::Check));
    assert_eq!(Ean::parse("4006381333932"), Err(EanError::Check));
    for bad in ["", "400638133393", "40063813339311", "400638133393x"] {
        assert_eq!(Ean::parse(bad), Err(EanError::Format), "{bad}");
    }
}

fn form() -> SettingsForm<'static> {
    SettingsForm {
        name: "Vesterfjord Kommune",
        ..Default::default()
    }
}

#[test]
fn settings_are_validated_field_by_field() {
    let links = vec![
        (
            "Facebook".to_string(),
            "https://www.facebook.com/vesterfjord".to_string(),
        ),
        (" ".to_string(), "".to_string()),
    ];
    let settings = SiteSettings::new(SettingsForm {
        brand_color: Some("#1a5c8e"),
        address: Some("Rådhuspladsen 1\n9999 Vesterfjord"),
        phone: Some("12 34 56 78"),
        email: Some("kommune@vesterfjord.example"),
        cvr: Some("10150817"),
        ean: Some("5901234123457"),
        opening_hours: Some(" "),
        social_links: &links,
        logo_id: Some(3),
        ..form()
    })
    .unwrap();
    assert_eq!(settings.name, "Vesterfjord Kommune");
    assert_eq!(settings.phone.unwrap().e164(), "+4512345678");
    assert_eq!(settings.opening_hours, None);
    assert_eq!(settings.social_links.len(), 1);
    assert_eq!(settings.logo_id, Some(3));

    let links = vec![(
        "Facebook".to_string(),
        "http://www.facebook.com/x".to_string(),
    )];
    let errors = SiteSettings::new(SettingsForm {
        name: " ",
        brand_color: Some("#eeeeee"),
        phone: Some("123"),
        email: Some("ikke en adresse"),
        cvr: Some("12345678"),
        ean: Some("123"),
        social_links: &links,
        privacy_page_id: Some(0),
        ..form()
    })
    .unwrap_err();
    let fields: Vec<_> = errors.errors().iter().map(|e| e.field).collect();
    assert_eq!(
        fields,
        [
            "name",
            "brand_color",
            "phone",
            "email",
            "cvr",
            "ean",
            "social_links",
            "privacy_page_id"
        ]
    );
    assert_eq!(errors.for_field("name"), Some("Skriv kommunens navn."));
    assert!(
        errors
            .for_field("social_links")
            .unwrap()
            .starts_with("Link 1: ")
    );
}

#[test]
fn social_links_need_a_label_and_at_most_ten() {
    let unlabeled = vec![(String::new(), "https://x.example/".to_string())];
    assert!(
        SocialLink::list(&unlabeled)
            .unwrap_err()
            .starts_with("Link 1: Skriv")
    );
    let many: Vec<_> = (0..11)
        .map(|i| (format!("L{i}"), format!("https://x{i}.example/")))
        .collect();
    let error = SocialLink::list(&many).unwrap_err();
    assert_eq!(error, "Der kan højst være 10 links til sociale medier.");
}

#[test]
fn front_page_keeps_shortcuts_in_order_without_repeats() {
    let front = FrontPage::new(Some(4), &[3, 1, 3, 2]).unwrap();
    assert_eq!(front.shortcuts, [3, 1, 2]);
    let nine: Vec<i64> = (1..=9).collect();
    let errors = FrontPage::new(None, &nine).unwrap_err();
    assert_eq!(
        errors.for_field("shortcuts"),
        Some("Vælg højst 8 genveje; der er valgt 9.")
    );
    assert!(FrontPage::new(Some(0), &[]).is_err());
}

#[test]
fn menu_choices_default_to_shown_in_older_files() {
    let mut settings = SiteSettings::named("Vesterfjord Kommune");
    settings.menu_news = false;
    let mut json = serde_json::to_value(&settings).unwrap();
    assert_eq!(json["menu_news"], false);
    let read: SiteSettings = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(read, settings);

    let fields = json.as_object_mut().unwrap();
    fields.remove("menu_news");
    fields.remove("menu_directory");
    let older: SiteSettings = serde_json::from_value(json).unwrap();
    assert!(older.menu_news && older.menu_directory);
}

#[test]
fn the_statement_needs_a_web_address_and_a_review_date_not_after_today() {
    let today = jiff::civil::date(2026, 12, 4);
    let statement = |url: &'static str, reviewed: &'static str| {
        SiteSettings::new(SettingsForm {
            statement_url: Some(url),
            statement_reviewed: Some(reviewed),
            today,
            ..form()
        })
    };
    let ok = statement(" https://www.was.digst.dk/vesterfjord-dk ", "04.12.2026").unwrap();
    assert_eq!(
        ok.statement,
        Some(Statement {
            url: "https://www.was.digst.dk/vesterfjord-dk".into(),
            reviewed: Some(today),
        })
    );
    let undated = statement("http://was.example/x", " ").unwrap();
    assert_eq!(undated.statement.unwrap().reviewed, None);
    assert_eq!(statement(" ", "").unwrap().statement, None);

    let errors = statement("ftp://was.example/x", "05.12.2026").unwrap_err();
    assert!(
        errors
            .for_field("statement_url")
            .unwrap()
            .starts_with("Skriv erklæringens fulde adresse")
    );
    assert_eq!(
        errors.for_field("statement_reviewed"),
        Some("Datoen for seneste gennemgang kan ikke ligge efter i dag (4. dec. 2026).")
    );
    let errors = statement("", "31.02.2026").unwrap_err();
    assert_eq!(
        errors.for_field("statement_reviewed"),
        Some("Skriv datoen som dd.mm.åååå, fx 18.12.2017.")
    );
    let errors = statement("", "01.12.2026").unwrap_err();
    assert_eq!(
        errors.for_field("statement_url"),
        Some("Skriv adressen på erklæringen, eller slet datoen for seneste gennemgang.")
    );
}

#[test]
fn the_sites_own_statement_wins_over_the_configured_one_and_is_reminded_of() {
    let today = jiff::civil::date(2026, 12, 4);
    let own = Statement {
        url: "https://www.was.digst.dk/egen".into(),
        reviewed: Some(jiff::civil::date(2026, 1, 10)),
    };
    let configured = Statement {
        url: "https://www.was.digst.dk/opsat".into(),
        reviewed: None,
    };
    assert_eq!(
        Statement::in_force(Some(&own), Some(&configured)),
        Some(own.clone())
    );
    assert_eq!(
        Statement::in_force(None, Some(&configured)),
        Some(configured.clone())
    );
    assert_eq!(Statement::in_force(None, None), None);
    assert_eq!(Statement::reminder(Some(&own), today), None);
    assert!(
        Statement::reminder(None, today)
            .unwrap()
            .starts_with("Sitet har ingen tilgængelighedserklæring.")
    );
    assert!(
        Statement::reminder(Some(&configured), today)
            .unwrap()
            .starts_with("Det er ikke angivet")
    );
    let due = Statement::reminder(Some(&own), jiff::civil::date(2027, 1, 10)).unwrap();
    assert!(due.starts_with("Tilgængelighedserklæringen blev sidst gennemgået 10. jan. 2026."));
}

#[test]
fn older_files_have_no_statement() {
    let mut settings = SiteSettings::named("Vesterfjord Kommune");
    settings.statement = Some(Statement {
        url: "https://www.was.digst.dk/vesterfjord-dk".into(),
        reviewed: Some(jiff::civil::date(2026, 11, 27)),
    });
    let mut json = serde_json::to_value(&settings).unwrap();
    assert_eq!(json["statement"]["reviewed"], "2026-11-27");
    let read: SiteSettings = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(read, settings);
    json.as_object_mut().unwrap().remove("statement");
    let older: SiteSettings = serde_json::from_value(json).unwrap();
    assert_eq!(older.statement, None);
}
