//! The `raadhus` binary itself: help, configuration errors, migrate, and a real
//! `serve` process that stops gracefully on SIGTERM.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The `raadhus` binary with no RAADHUS_* settings from the environment
/// (and no background link checks: tests never ask the internet).
pub fn raadhus() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_raadhus"));
    for (key, _) in std::env::vars() {
        if key.starts_with("RAADHUS_") {
            cmd.env_remove(key);
        }
    }
    cmd.env("RAADHUS_LINKS_INTERVAL_HOURS", "0");
    cmd
}

#[test]
fn help_explains_the_commands() {
    let out = raadhus().arg("--help").output().unwrap();
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    for word in [
        "serve",
        "migrate",
        "--config",
        "--data",
        "RAADHUS_DATA_DIR",
        "RAADHUS_DATABASE_URL",
        "RAADHUS_LOG",
    ] {
        assert!(help.contains(word), "help lacks {word}:\n{help}");
    }
    let serve = raadhus().args(["serve", "--help"]).output().unwrap();
    let serve_help = String::from_utf8_lossy(&serve.stdout);
    for word in [
        "--bind",
        "RAADHUS_BIND",
        "--no-demo",
        "RAADHUS_SITE_NAME",
        "RAADHUS_BASE_URL",
    ] {
        assert!(
            serve_help.contains(word),
            "serve help lacks {word}:\n{serve_help}"
        );
    }
}

#[test]
fn bad_configuration_stops_start_up_with_one_clear_line() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("raadhus.toml");
    std::fs::write(
        &config,
        "bind = \"127.0.0.1:0\"\nsite_nam = \"Stavefejl\"\n",
    )
    .unwrap();
    /// (environment, arguments, expected in the message)
    type Case<'a> = (Vec<(&'a str, &'a str)>, Vec<String>, &'a str);
    let cases: Vec<Case<'_>> = vec![
        (
            vec![("RAADHUS_BIND", "ikke-en-adresse")],
            vec![],
            "RAADHUS_BIND",
        ),
        (
            vec![("RAADHUS_BASE_URL", "www.kommune.dk")],
            vec![],
            "RAADHUS_BASE_URL",
        ),
        (
            vec![("RAADHUS_DATABASE_URL", "mysql://x")],
            vec![],
            "RAADHUS_DATABASE_URL",
        ),
        (vec![("RAADHUS_LOG", "info,[[[")], vec![], "RAADHUS_LOG"),
        (
            vec![("RAADHUS_METRICS_ADDR", "localhost:9464")],
            vec![],
            "RAADHUS_METRICS_ADDR",
        ),
        (
            vec![],
            vec!["--config".into(), config.display().to_string()],
            "line 2",
        ),
        (
            vec![],
            vec!["--config".into(), "/findes/ikke.toml".into()],
            "cannot read config file",
        ),
    ];
    for (env, args, expected) in cases {
        let out = raadhus()
            .args(&args)
            .args(["--data", &dir.path().display().to_string(), "serve"])
            .envs(env.iter().copied())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{env:?} {args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(stderr.trim_end().lines().count(), 1, "one line: {stderr}");
        assert!(stderr.contains(expected), "{expected} not in {stderr}");
        assert!(
            stderr.starts_with("raadhus: configuration error: "),
            "{stderr}"
        );
    }
}

#[test]
fn migrate_creates_the_database_in_the_data_directory() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("nested/data");
    let out = raadhus()
        .args(["--data", &data.display().to_string(), "migrate"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(data.join("raadhus.db").is_file());
    // What it created is its owner's alone: the database holds password
    // hashes and sessions.
    assert_mode(&dir.path().join("nested"), 0o700);
    assert_mode(&data, 0o700);
    assert_mode(&data.join("raadhus.db"), 0o600);
    // Running it again is harmless.
    let again = raadhus()
        .args(["--data", &data.display().to_string(), "migrate"])
        .output()
        .unwrap();
    assert!(again.status.success());
}

#[cfg(unix)]
#[test]
fn a_data_directory_the_operator_made_keeps_its_mode_and_the_database_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("raadhus");
    std::fs::create_dir(&data).unwrap();
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o750)).unwrap();
    let migrate = || {
        let out = raadhus()
            .args([
                "--data",
                &data.display().to_string(),
                "--log",
                "warn",
                "migrate",
            ])
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let err = migrate();
    assert_mode(&data, 0o750);
    let db = data.join("raadhus.db");
    assert_mode(&db, 0o600);
    assert!(err.is_empty(), "{err}");
    // A database file every user may read (made by an older version, or by
    // hand) is left as it is, with a warning saying what to do.
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
    let err = migrate();
    assert!(
        err.contains("every user of this machine may open the database file"),
        "{err}"
    );
    assert!(err.contains("chmod 600"), "{err}");
    assert_mode(&db, 0o644);
}

/// Asserts the permission bits of `path` (on Unix; elsewhere there are none).
pub fn assert_mode(path: &std::path::Path, expected: u32) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, expected, "{}: mode {mode:04o}", path.display());
    }
    #[cfg(not(unix))]
    let _ = (path, expected);
}

/// Starts `raadhus serve` on an ephemeral port and returns it with its address.
pub fn start_server(
    args: &[&str],
    env: &[(&str, &str)],
) -> (
    std::process::Child,
    String,
    BufReader<std::process::ChildStderr>,
) {
    let mut child = raadhus()
        .args(args)
        .envs(env.iter().copied())
        .env("RAADHUS_BIND", "127.0.0.1:0")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    // Generous: a debug build indexing an imported site of 10,000 articles
    // before it listens took over 30 s on a busy 2-core machine (start-up
    // speed is measured in bench/startup.sh, not here).
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut line = String::new();
    while Instant::now() < deadline {
        line.clear();
        if stderr.read_line(&mut line).unwrap() == 0 {
            break;
        }
        if let Some(rest) = line.split_once("addr=").map(|(_, r)| r) {
            let addr = rest.split_whitespace().next().unwrap().to_string();
            return (child, addr, stderr);
        }
        // The same line as JSON (`--log-format json`).
        if let Some(rest) = line.split_once(r#""addr":""#).map(|(_, r)| r) {
            let addr = rest.split('"').next().unwrap().to_string();
            return (child, addr, stderr);
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("server did not report its address; last line: {line}");
}

fn http_get(addr: &str, path: &str) -> (u16, String) {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response[9..12].parse().unwrap();
    (status, response)
}

#[test]
fn serve_runs_on_sqlite_in_wal_mode_and_stops_gracefully_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("raadhus.toml");
    std::fs::write(&config, "site_name = \"Fra filen\"\nlog = \"info\"\n").unwrap();
    let data = dir.path().display().to_string();
    let (mut child, addr, mut stderr) = start_server(
        &[
            "--config",
            &config.display().to_string(),
            "--data",
            &data,
            "serve",
        ],
        &[("RAADHUS_SITE_NAME", "Fra miljøet")],
    );
    let (status, health) = http_get(&addr, "/healthz");
    assert_eq!(status, 200, "{health}");
    assert!(health.contains(r#""database":"ok""#));
    // The environment wins over the file.
    let (_, home) = http_get(&addr, "/");
    assert!(home.contains("<h1>Fra miljøet</h1>"), "{home}");
    // Demo content was loaded into the fresh database.
    let (_, news) = http_get(&addr, "/nyheder");
    assert!(news.matches("class=\"news-item\"").count() == 10);
    // SQLite in WAL mode in the data directory, every file of it private.
    for file in ["raadhus.db", "raadhus.db-wal", "raadhus.db-shm"] {
        assert!(dir.path().join(file).is_file(), "{file}");
        assert_mode(&dir.path().join(file), 0o600);
    }

    let status = stop(&mut child);
    assert!(status.success(), "exit status {status}");
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut rest).unwrap();
    assert!(rest.contains("SIGTERM received"), "{rest}");
    assert!(rest.contains("raadhus stopped"), "{rest}");
}

/// Sends SIGTERM to `child` and waits (bounded) until it has stopped.
pub fn stop(child: &mut std::process::Child) -> std::process::ExitStatus {
    let pid = child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        assert!(Instant::now() < deadline, "server did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn text_log_lines_carry_each_request_with_its_method_path_status_bytes_and_duration() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().display().to_string();
    let args = ["--data", &data, "serve", "--no-demo"];
    let (mut child, addr, mut stderr) = start_server(&args, &[]);
    // Rendered, then from the render cache: a line each, alike.
    let mut bodies = Vec::new();
    for _ in 0..2 {
        let (status, response) = http_get(&addr, "/nyheder?side=1");
        assert_eq!(status, 200);
        bodies.push(response.split_once("\r\n\r\n").unwrap().1.len());
    }
    assert_eq!(http_get(&addr, "/findes-ikke").0, 404);
    assert!(stop(&mut child).success());
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut rest).unwrap();
    // As tracing's text format: time, level, target, then the fields.
    let requests: Vec<(&str, &str)> = rest
        .lines()
        .filter_map(|l| l.split_once("  INFO access: "))
        .collect();
    let news: Vec<&str> = requests
        .iter()
        .filter(|(_, fields)| fields.starts_with("method=GET path=\"/nyheder\" "))
        .map(|(time, fields)| {
            // In UTC, to the microsecond.
            assert_eq!((time.len(), &time[19..20]), (27, "."), "{rest}");
            assert!(time.parse::<jiff::Timestamp>().is_ok(), "{rest}");
            *fields
        })
        .collect();
    assert_eq!(news.len(), 2, "{rest}");
    for (fields, bytes) in news.iter().zip(&bodies) {
        let expected =
            format!("method=GET path=\"/nyheder\" status=200 bytes={bytes} duration_us=");
        let duration = fields.strip_prefix(&expected);
        assert!(
            duration.is_some_and(|d| d.parse::<u64>().is_ok()),
            "{fields}"
        );
    }
    assert!(
        requests
            .iter()
            .any(|(_, f)| f.starts_with("method=GET path=\"/findes-ikke\" status=404 ")),
        "{rest}"
    );
    assert!(!rest.contains("side=1"), "{rest}");
}

#[test]
fn json_log_lines_carry_each_request_with_its_method_path_status_bytes_and_duration() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().display().to_string();
    let args = [
        "--data",
        &data,
        "--log-format",
        "json",
        "serve",
        "--no-demo",
    ];
    let (mut child, addr, mut stderr) = start_server(&args, &[]);
    // Rendered, then from the render cache (answered before routing): a
    // line each, alike.
    let body_of = |path| {
        let (status, response) = http_get(&addr, path);
        assert_eq!(status, 200);
        let (head, body) = response.split_once("\r\n\r\n").unwrap();
        (head.to_lowercase(), body.to_string())
    };
    let (first, body) = body_of("/nyheder?side=1");
    let (second, again) = body_of("/nyheder?side=1");
    assert!(first.contains("x-cache: miss") && second.contains("x-cache: hit"));
    assert_eq!(body, again);
    assert_eq!(http_get(&addr, "/findes-ikke").0, 404);
    assert!(stop(&mut child).success());
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut rest).unwrap();
    let lines: Vec<serde_json::Value> = rest
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    let requests: Vec<&serde_json::Value> =
        lines.iter().filter(|l| l["target"] == "access").collect();
    // The query is left out: a search's words are the visitor's.
    let news: Vec<_> = requests
        .iter()
        .filter(|l| l["fields"]["path"] == "/nyheder")
        .collect();
    assert_eq!(news.len(), 2, "{rest}");
    for line in news {
        assert_eq!(line["fields"]["method"], "GET");
        assert_eq!(line["fields"]["status"], 200);
        assert_eq!(line["fields"]["bytes"], body.len(), "{line}");
        assert!(line["fields"]["duration_us"].is_u64(), "{line}");
        assert_eq!(line["level"], "INFO");
        assert!(
            line["timestamp"]
                .as_str()
                .is_some_and(|t| t.starts_with("20"))
        );
    }
    assert!(
        requests
            .iter()
            .any(|l| l["fields"]["path"] == "/findes-ikke" && l["fields"]["status"] == 404),
        "{rest}"
    );
    assert!(!rest.contains("side=1"), "{rest}");
    assert!(
        lines
            .iter()
            .any(|l| l["fields"]["message"] == "raadhus stopped"),
        "{rest}"
    );
    // Anything else is refused before the server starts.
    let out = raadhus()
        .args(["--data", &data, "--log-format", "xml", "migrate"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("json"));
}

#[test]
fn no_demo_starts_empty_and_keeps_content_across_restarts() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().display().to_string();
    let (mut child, addr, _err) = start_server(&["--data", &data, "serve", "--no-demo"], &[]);
    let (_, news) = http_get(&addr, "/nyheder");
    assert!(news.contains("Der er ingen nyheder endnu."));
    child.kill().unwrap();
    child.wait().unwrap();
    // The same data directory without --no-demo: the demo is loaded only into an
    // empty database, once.
    let (mut child, addr, _err) = start_server(&["--data", &data, "serve"], &[]);
    let (_, first) = http_get(&addr, "/nyheder");
    child.kill().unwrap();
    child.wait().unwrap();
    let (mut child, addr, _err) = start_server(&["--data", &data, "serve"], &[]);
    let (_, second) = http_get(&addr, "/nyheder?side=2");
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(first.matches("class=\"news-item\"").count(), 10);
    let on_page_two = second.matches("class=\"news-item\"").count();
    assert!(
        (1..10).contains(&on_page_two),
        "demo loaded twice? {on_page_two} on page 2"
    );
}

/// Runs `raadhus --data DIR ARGS…` with `stdin` and returns (success, stdout, stderr).
pub fn run_with_stdin(
    data: &std::path::Path,
    args: &[&str],
    stdin: &str,
) -> (bool, String, String) {
    use std::io::Write;
    let mut child = raadhus()
        .args(["--data", &data.display().to_string(), "--log", "warn"])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn users_and_tokens_are_managed_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let add = [
        "user",
        "add",
        "--email",
        "anne@vesterfjord.example",
        "--name",
        "Anne Holm",
        "--role",
        "admin",
        "--password-stdin",
    ];
    let (ok, _, err) = run_with_stdin(data, &add, "en lang adgangskode\n");
    assert!(ok, "{err}");
    // The same address in another case is the same user.
    let again = [
        "user",
        "add",
        "--email",
        "ANNE@vesterfjord.example",
        "--name",
        "Anne",
        "--role",
        "editor",
        "--password-stdin",
    ];
    let (ok, _, err) = run_with_stdin(data, &again, "en lang adgangskode\n");
    assert!(!ok);
    assert!(err.contains("exists"), "{err}");
    // Too short a password is refused with the rule.
    let short = [
        "user",
        "add",
        "--email",
        "bo@vesterfjord.example",
        "--name",
        "Bo",
        "--role",
        "editor",
        "--password-stdin",
    ];
    let (ok, _, err) = run_with_stdin(data, &short, "kort\n");
    assert!(!ok);
    assert!(err.contains("mindst 10 tegn"), "{err}");
    let (ok, out, _) = run_with_stdin(data, &["user", "list"], "");
    assert!(ok);
    // The last column, the subsites, is empty.
    assert_eq!(
        out,
        "anne@vesterfjord.example\tadmin\tactive\tAnne Holm\t\n"
    );

    // A token is printed once, alone on stdout.
    let (ok, token, err) = run_with_stdin(
        data,
        &[
            "token",
            "create",
            "--user",
            "anne@vesterfjord.example",
            "--name",
            "intranet",
        ],
        "",
    );
    assert!(ok, "{err}");
    let token = token.strip_suffix('\n').unwrap();
    assert_eq!(token.len(), 64);
    assert!(token.bytes().all(|b| b.is_ascii_hexdigit()));
    let (_, list, _) = run_with_stdin(data, &["token", "list"], "");
    assert!(
        list.starts_with("1\tanne@vesterfjord.example\tactive\tintranet\t"),
        "{list}"
    );
    assert!(!list.contains(token), "the token itself is never listed");

    // Disabling the user revokes the token.
    let (ok, _, err) = run_with_stdin(
        data,
        &["user", "disable", "--email", "anne@vesterfjord.example"],
        "",
    );
    assert!(ok, "{err}");
    let (_, list, _) = run_with_stdin(data, &["token", "list"], "");
    assert!(list.contains("\trevoked\t"), "{list}");
    let (_, users, _) = run_with_stdin(data, &["user", "list"], "");
    assert!(users.contains("\tdisabled\t"), "{users}");
    let (ok, _, err) = run_with_stdin(data, &["user", "disable", "--email", "nobody@x.dk"], "");
    assert!(!ok);
    assert!(err.contains("no user with e-mail nobody@x.dk"), "{err}");
}

#[test]
fn a_new_password_keeps_api_tokens_unless_told_to_revoke_them() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let email = "anne@vesterfjord.example";
    let add = [
        "user",
        "add",
        "--email",
        email,
        "--name",
        "Anne Holm",
        "--role",
        "editor",
        "--password-stdin",
    ];
    assert!(run_with_stdin(data, &add, "en lang adgangskode\n").0);
    let create = ["token", "create", "--user", email, "--name", "intranet"];
    assert!(run_with_stdin(data, &create, "").0);
    let passwd = ["user", "passwd", "--email", email, "--password-stdin"];
    let (ok, _, err) = run_with_stdin(data, &passwd, "en anden lang kode\n");
    assert!(ok, "{err}");
    assert!(err.contains("API tokens still work"), "{err}");
    let (_, list, _) = run_with_stdin(data, &["token", "list"], "");
    assert!(list.contains("\tactive\t"), "{list}");
    let revoke = [
        "user",
        "passwd",
        "--email",
        email,
        "--password-stdin",
        "--revoke-tokens",
    ];
    let (ok, _, err) = run_with_stdin(data, &revoke, "en tredje lang kode\n");
    assert!(ok, "{err}");
    let (_, list, _) = run_with_stdin(data, &["token", "list"], "");
    assert!(
        list.contains("\trevoked\t") && !list.contains("\tactive\t"),
        "{list}"
    );
}
