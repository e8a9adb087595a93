//! Connections over raw TCP: the connection limit, clients that send
//! requests and never read the answers, idle keep-alive connections, and a
//! citizen on a slow line who reads slowly but steadily.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

use crate::hostile::{raw, status_of};
use crate::support::TestApp;

const FEED: &str = "GET /nyheder/feed.atom HTTP/1.1\r\nHost: localhost\r\n\r\n";

/// The demo site with these limits.
async fn site(max_connections: Option<&str>, request_timeout: &str) -> TestApp {
    TestApp::spawn_with(raadhus::config::Layer {
        max_connections: max_connections.map(str::to_string),
        request_timeout: Some(request_timeout.into()),
        ..Default::default()
    })
    .await
}

/// A client socket with a small receive buffer, so that an answer it does
/// not read soon fills the buffers between it and the server.
async fn small_window(addr: SocketAddr) -> TcpStream {
    let socket = TcpSocket::new_v4().expect("socket");
    socket.set_recv_buffer_size(4096).expect("receive buffer");
    socket.connect(addr).await.expect("connect")
}

/// A fresh connection asks for `/` and reads the whole answer; its status
/// and how long it took.
async fn visit(app: &TestApp) -> (u16, Duration) {
    let started = Instant::now();
    let answer = raw(
        app,
        b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    )
    .await;
    (status_of(&answer), started.elapsed())
}

/// Reads what the server sends until it closes the connection (`true`) or
/// sends nothing for half a second (`false`).
async fn closed_by_server(stream: &mut TcpStream) -> bool {
    let mut buf = vec![0u8; 64 * 1024];
    // Bounded: a connection still open stops sending once its answers are
    // all read, at most a few megabytes here.
    for _ in 0..10_000 {
        match tokio::time::timeout(Duration::from_millis(500), stream.read(&mut buf)).await {
            Err(_) => return false,
            Ok(Ok(0) | Err(_)) => return true,
            Ok(Ok(_)) => {}
        }
    }
    false
}

/// Sends one keep-alive request for `path` and reads its answer (by its
/// `Content-Length`); returns the status.
async fn keep_alive_request(stream: &mut TcpStream, path: &str) -> u16 {
    let request = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n");
    stream.write_all(request.as_bytes()).await.expect("send");
    let mut answer = Vec::new();
    let mut buf = [0u8; 8192];
    let read = async {
        loop {
            let n = stream.read(&mut buf).await.expect("read");
            assert!(n > 0, "closed before the answer was complete");
            answer.extend_from_slice(&buf[..n]);
            let text = String::from_utf8_lossy(&answer).into_owned();
            if let Some((head, body)) = text.split_once("\r\n\r\n") {
                let length: usize = head
                    .lines()
                    .find_map(|l| {
                        let (name, value) = l.split_once(':')?;
                        name.eq_ignore_ascii_case("content-length")
                            .then(|| value.trim().parse().ok())?
                    })
                    .expect("content-length");
                if body.len() >= length {
                    return;
                }
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(10), read)
        .await
        .expect("answered");
    status_of(&String::from_utf8_lossy(&answer))
}

/// The connections the server holds open on `port` (Linux: from
/// `/proc/net/tcp`, the server's sockets that still have a file descriptor).
fn server_connections(port: u16) -> Option<usize> {
    let table = std::fs::read_to_string("/proc/net/tcp").ok()?;
    let port = format!(":{port:04X}");
    Some(
        table
            .lines()
            .skip(1)
            .filter(|line| {
                let fields: Vec<&str> = line.split_whitespace().collect();
                // local address, state (0A: listening), inode (0: no descriptor).
                fields.len() > 9
                    && fields[1].ends_with(&port)
                    && fields[3] != "0A"
                    && fields[9] != "0"
            })
            .count(),
    )
}

#[tokio::test]
async fn clients_that_never_read_neither_exceed_the_limit_nor_keep_others_waiting() {
    // The attack, scaled down: more connections than the limit,
    // each asking for the Atom feed 50 times (about 1.8 MB) and reading none
    // of it, so that every write of the server blocks.
    let app = site(Some("16"), "5").await;
    let feed = app.get("/nyheder/feed.atom").await;
    assert_eq!(feed.status, StatusCode::OK);
    assert!(feed.body.len() > 20_000, "the feed fills buffers");
    let attack = Instant::now();
    let mut attackers = Vec::new();
    for _ in 0..40 {
        let mut stream = small_window(app.addr).await;
        stream
            .write_all(FEED.repeat(50).as_bytes())
            .await
            .expect("send");
        attackers.push(stream);
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    // A visitor is answered about at once, while the attack goes on.
    for _ in 0..5 {
        let (status, took) = visit(&app).await;
        assert_eq!(status, 200);
        assert!(
            took < Duration::from_secs(2),
            "a visitor waited {took:?} behind clients that read nothing"
        );
        if let Some(open) = server_connections(app.addr.port()) {
            assert!(open <= 16, "{open} connections open, the limit is 16");
        }
    }
    assert!(
        attack.elapsed() < Duration::from_secs(5),
        "the visitors were served before the request timeout could help"
    );
    // Once the request timeout has passed, every client that read nothing
    // has been cut off.
    let deadline = attack + Duration::from_secs(5 + 2);
    tokio::time::sleep_until(deadline.into()).await;
    let mut still_open = 0;
    for stream in &mut attackers {
        if !closed_by_server(stream).await {
            still_open += 1;
        }
    }
    assert_eq!(still_open, 0, "connections that read nothing stayed open");
    assert_eq!(visit(&app).await.0, 200);
    app.stop().await;
}

#[tokio::test]
async fn a_client_that_reads_nothing_is_cut_off_after_the_request_timeout() {
    // 150 feeds (about 5 MB) exceed what the kernel buffers between the two
    // sockets, even on loopback: the server's write blocks for good.
    let app = site(None, "2").await;
    let mut stream = small_window(app.addr).await;
    stream
        .write_all(FEED.repeat(150).as_bytes())
        .await
        .expect("send");
    // The timeout, the once-a-second check, and a margin.
    tokio::time::sleep(Duration::from_secs(2 + 1 + 2)).await;
    assert!(closed_by_server(&mut stream).await);
    assert_eq!(visit(&app).await.0, 200);
    app.stop().await;
}

#[tokio::test]
async fn a_client_that_reads_slowly_but_steadily_is_never_cut_off() {
    // A citizen on a slow mobile line: three feeds pipelined (about 105 KB)
    // read at 20 KB/s take more than twice the request timeout, and the last
    // answer alone takes longer than it.
    let app = site(None, "2").await;
    let feed = app.get("/nyheder/feed.atom").await;
    let mut stream = small_window(app.addr).await;
    stream
        .write_all(FEED.repeat(3).as_bytes())
        .await
        .expect("send");
    let started = Instant::now();
    let mut received = Vec::new();
    let mut buf = [0u8; 4096];
    let expected = 3 * feed.body.len();
    // Bounded: about 27 rounds are needed.
    for _ in 0..400 {
        if received.len() >= expected {
            break;
        }
        let n = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut buf))
            .await
            .expect("the server goes on sending")
            .expect("read");
        assert!(
            n > 0,
            "cut off after {:?} with {} of {expected} bytes",
            started.elapsed(),
            received.len()
        );
        received.extend_from_slice(&buf[..n]);
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let answers = String::from_utf8_lossy(&received)
        .matches("HTTP/1.1 200 OK")
        .count();
    assert_eq!(answers, 3);
    assert!(
        started.elapsed() > Duration::from_secs(4),
        "the transfer must outlast the request timeout to prove anything"
    );
    app.stop().await;
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed_after_the_request_timeout() {
    let app = site(None, "2").await;
    let mut idle = TcpStream::connect(app.addr).await.expect("connect");
    assert_eq!(keep_alive_request(&mut idle, "/robots.txt").await, 200);
    let answered = Instant::now();
    let mut rest = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), idle.read_to_end(&mut rest))
        .await
        .expect("the idle connection is closed")
        .expect("read");
    assert!(rest.is_empty(), "nothing more was sent");
    assert!(
        answered.elapsed() >= Duration::from_secs(1),
        "closed after {:?}, before the request timeout",
        answered.elapsed()
    );
    app.stop().await;
}

#[tokio::test]
async fn at_the_limit_the_connection_idle_longest_makes_room_for_a_new_one() {
    // A request timeout of 30 s: without making room a new visitor would
    // wait that long for an idle connection to go.
    let app = site(Some("16"), "30").await;
    let mut idle = Vec::new();
    for _ in 0..16 {
        let mut stream = TcpStream::connect(app.addr).await.expect("connect");
        assert_eq!(keep_alive_request(&mut stream, "/robots.txt").await, 200);
        idle.push(stream);
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (status, took) = visit(&app).await;
    assert_eq!(status, 200);
    assert!(took < Duration::from_secs(2), "a visitor waited {took:?}");
    // The first one, idle longest, was closed; the last one still serves.
    assert!(closed_by_server(&mut idle[0]).await);
    let last = idle.last_mut().expect("connections");
    assert_eq!(keep_alive_request(last, "/robots.txt").await, 200);
    app.stop().await;
}
