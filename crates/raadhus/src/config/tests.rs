//! Resolving the configuration.
use super::*;

#[test]
fn defaults() {
    let c = Config::resolve(Layer::default()).unwrap();
    assert_eq!(c.bind.to_string(), "127.0.0.1:8080");
    assert_eq!(c.data_dir, PathBuf::from("./data"));
    assert_eq!(
        c.database,
        Database::SqliteFile(PathBuf::from("./data/raadhus.db"))
    );
    assert_eq!(c.base_url, None);
    assert!(c.demo);
    assert!(c.counting, "counting is on unless turned off");
    assert!(c.pin_threads, "server threads are pinned unless turned off");
    assert_eq!(c.site_name, None);
    assert_eq!(c.log_format, LogFormat::Text);
}

#[test]
fn log_lines_are_text_or_json() {
    let json = Layer {
        log_format: Some(" json ".into()),
        ..Layer::default()
    };
    assert_eq!(Config::resolve(json).unwrap().log_format, LogFormat::Json);
}

#[test]
fn higher_layers_win() {
    let flags = Layer {
        bind: Some("127.0.0.1:9000".into()),
        ..Layer::default()
    };
    let env = Layer {
        bind: Some("127.0.0.1:9001".into()),
        site_name: Some("Fra miljøet".into()),
        ..Layer::default()
    };
    let file = Layer {
        site_name: Some("Fra filen".into()),
        log: Some("debug".into()),
        demo: Some(false),
        ..Layer::default()
    };
    let c = Config::resolve(flags.or(env).or(file)).unwrap();
    assert_eq!(c.bind.port(), 9000);
    assert_eq!(c.site_name.as_deref(), Some("Fra miljøet"));
    assert_eq!(c.log, "debug");
    assert!(!c.demo);
}

#[test]
fn bad_values_are_named_in_one_line() {
    let bad = [
        Layer {
            bind: Some("localhost".into()),
            ..Layer::default()
        },
        Layer {
            base_url: Some("www.kommune.dk".into()),
            ..Layer::default()
        },
        Layer {
            base_url: Some("ftp://kommune.dk".into()),
            ..Layer::default()
        },
        Layer {
            database_url: Some("mysql://u:hemmelig@db/x".into()),
            ..Layer::default()
        },
        Layer {
            site_name: Some("  ".into()),
            ..Layer::default()
        },
        Layer {
            log: Some("info,[[[".into()),
            ..Layer::default()
        },
        Layer {
            log_format: Some("xml".into()),
            ..Layer::default()
        },
        Layer {
            was_url: Some("http://was.example/x".into()),
            ..Layer::default()
        },
    ];
    for layer in bad {
        let message = Config::resolve(layer.clone()).unwrap_err().to_string();
        assert!(!message.contains('\n'), "{message}");
        assert!(!message.contains("hemmelig"), "{message}");
        assert!(message.starts_with("invalid "), "{message}");
    }
}

#[test]
fn base_url_gets_trailing_slash() {
    let c = Config::resolve(Layer {
        base_url: Some("https://www.vesterfjord.example/kommune".into()),
        ..Layer::default()
    })
    .unwrap();
    assert_eq!(
        c.base_url.unwrap().as_str(),
        "https://www.vesterfjord.example/kommune/"
    );
}

#[test]
fn postgresql_comes_from_the_file_or_the_environment() {
    let file = parse_file(
        Path::new("raadhus.toml"),
        "database_url = \"postgres://raadhus@db.internal/raadhus\"\n",
    )
    .unwrap();
    assert_eq!(
        Config::resolve(file.clone()).unwrap().database,
        Database::Url("postgres://raadhus@db.internal/raadhus".into())
    );
    let env = Layer {
        database_url: Some("postgresql://raadhus@db2/raadhus".into()),
        ..Layer::default()
    };
    assert_eq!(
        Config::resolve(env.or(file)).unwrap().database,
        Database::Url("postgresql://raadhus@db2/raadhus".into())
    );
}

#[test]
fn config_file_errors_name_the_line() {
    let path = Path::new("raadhus.toml");
    let ok = parse_file(
        path,
        "bind = \"127.0.0.1:1\"\ndemo = false\ncounting = false\npin_threads = false\nmax_body_bytes = 2048\n",
    )
    .unwrap();
    assert_eq!(ok.demo, Some(false));
    assert!(!Config::resolve(ok.clone()).unwrap().counting);
    assert!(!Config::resolve(ok.clone()).unwrap().pin_threads);
    assert_eq!(Config::resolve(ok).unwrap().max_body_bytes, 2048);
    let cache = |value: &str| {
        Config::resolve(Layer {
            cache_max_bytes: Some(value.into()),
            ..Layer::default()
        })
    };
    assert_eq!(cache("0").unwrap().cache_max_bytes, 0);
    assert_eq!(cache(" 1048576 ").unwrap().cache_max_bytes, 1_048_576);
    assert!(matches!(cache("64MB"), Err(ConfigError::Invalid { .. })));
    let timeout = |value: Option<&str>| {
        Config::resolve(Layer {
            request_timeout: value.map(Into::into),
            ..Layer::default()
        })
    };
    let default = timeout(None).unwrap().request_timeout;
    assert_eq!(default, std::time::Duration::from_secs(30));
    assert_eq!(
        timeout(Some("5")).unwrap().request_timeout,
        std::time::Duration::from_secs(5)
    );
    for bad in ["0", "30s", "-1", "3601"] {
        assert!(
            matches!(timeout(Some(bad)), Err(ConfigError::Invalid { .. })),
            "{bad}"
        );
    }
    let unknown = parse_file(path, "bind = \"127.0.0.1:1\"\nsitename = \"x\"\n").unwrap_err();
    assert!(
        matches!(unknown, ConfigError::Syntax { line: 2, .. }),
        "{unknown}"
    );
    let broken = parse_file(path, "demo = ja\n").unwrap_err().to_string();
    assert!(
        broken.starts_with("config file raadhus.toml, line 1: "),
        "{broken}"
    );
    assert!(!broken.contains('\n'));
}

#[test]
fn trusted_proxies_are_addresses_and_ranges() {
    let proxies = |text: &str| {
        Config::resolve(Layer {
            trusted_proxies: Some(text.into()),
            ..Layer::default()
        })
    };
    assert!(proxies("").unwrap().trusted_proxies.is_empty());
    let list = proxies("127.0.0.1, 10.1.2.3/8 ,::1")
        .unwrap()
        .trusted_proxies;
    let shown: Vec<String> = list.iter().map(ToString::to_string).collect();
    assert_eq!(shown, ["127.0.0.1/32", "10.0.0.0/8", "::1/128"]);
    for bad in ["localhost", "10.0.0.0/33", "127.0.0.1;10.0.0.1"] {
        let e = proxies(bad).unwrap_err().to_string();
        assert!(e.contains("RAADHUS_TRUSTED_PROXIES"), "{e}");
    }
    let file = parse_file(
        Path::new("raadhus.toml"),
        "trusted_proxies = [\"127.0.0.1\", \"192.168.0.0/16\"]\nmax_connections = 500\n",
    )
    .unwrap();
    let c = Config::resolve(file).unwrap();
    assert_eq!(c.trusted_proxies.len(), 2);
    assert_eq!(c.max_connections, Some(500));
    assert_eq!(
        Config::resolve(Layer::default()).unwrap().max_connections,
        None
    );
    let too_few = Layer {
        max_connections: Some("3".into()),
        ..Layer::default()
    };
    assert!(Config::resolve(too_few).is_err());
}

#[test]
fn metrics_are_served_only_on_an_address_of_their_own() {
    let metrics = |text: Option<&str>| {
        Config::resolve(Layer {
            metrics_addr: text.map(Into::into),
            ..Layer::default()
        })
    };
    assert_eq!(metrics(None).unwrap().metrics_addr, None, "off by default");
    assert_eq!(
        metrics(Some("  ")).unwrap().metrics_addr,
        None,
        "blank is off"
    );
    assert_eq!(
        metrics(Some(" 127.0.0.1:9464 ")).unwrap().metrics_addr,
        Some("127.0.0.1:9464".parse().unwrap())
    );
    assert_eq!(
        metrics(Some("[::1]:0")).unwrap().metrics_addr,
        Some("[::1]:0".parse().unwrap())
    );
    for bad in [
        "localhost:9464",
        "9464",
        "127.0.0.1",
        "127.0.0.1:99999",
        "127.0.0.1:8080",
    ] {
        let e = metrics(Some(bad)).unwrap_err().to_string();
        assert!(e.starts_with("invalid metrics address"), "{bad}: {e}");
        assert!(e.contains("RAADHUS_METRICS_ADDR"), "{e}");
        assert!(!e.contains('\n'), "{e}");
    }
    let same = metrics(Some("127.0.0.1:8080")).unwrap_err().to_string();
    assert!(same.contains("must differ from the bind address"), "{same}");
    let file = parse_file(
        Path::new("raadhus.toml"),
        "metrics_addr = \"127.0.0.1:9464\"\n",
    )
    .unwrap();
    let flag = Layer {
        metrics_addr: Some("127.0.0.1:9465".into()),
        ..Layer::default()
    };
    assert_eq!(
        Config::resolve(file.clone()).unwrap().metrics_addr,
        Some("127.0.0.1:9464".parse().unwrap())
    );
    assert_eq!(
        Config::resolve(flag.or(file)).unwrap().metrics_addr,
        Some("127.0.0.1:9465".parse().unwrap()),
        "a flag or the environment wins over the file"
    );
}
