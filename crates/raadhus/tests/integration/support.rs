//! `TestApp`: the real application on an ephemeral port with a fresh database.

use std::net::SocketAddr;

use jiff::Timestamp;
use raadhus::Application;
use raadhus::config::{Config, Layer};
use raadhus_domain::{
    ContactInput, ContactPerson, NewsArticle, NewsContent, NewsDraft, NewsForm, SiteId,
};
use raadhus_store::Store;
use raadhus_usecases::{Actor, UseCases};
use reqwest::StatusCode;
use scraper::{Html, Selector};
use tokio::sync::oneshot;

pub use crate::database::TestDb;

pub struct TestApp {
    pub addr: SocketAddr,
    /// Where `/metrics` is served, when the test configured it.
    pub metrics: Option<SocketAddr>,
    pub store: Store,
    pub site: SiteId,
    /// The application's clock: tests move it forward instead of sleeping.
    pub clock: raadhus_usecases::Clock,
    /// The database; shared with the other nodes started from this one.
    pub db: std::sync::Arc<TestDb>,
    /// This node's data directory (search index).
    data: tempfile::TempDir,
    client: reqwest::Client,
    stop: Option<oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<()>>,
}

/// An HTTP answer with its body read.
pub struct Page {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

impl Page {
    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn html(&self) -> Html {
        Html::parse_document(&self.body)
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Texts of all elements matching `selector`, whitespace collapsed.
    pub fn texts(&self, selector: &str) -> Vec<String> {
        let sel = Selector::parse(selector).expect("valid selector");
        self.html().select(&sel).map(|e| text_of(&e)).collect()
    }

    /// Values of `attr` on all elements matching `selector`.
    pub fn attrs(&self, selector: &str, attr: &str) -> Vec<String> {
        let sel = Selector::parse(selector).expect("valid selector");
        self.html()
            .select(&sel)
            .filter_map(|e| e.value().attr(attr).map(str::to_string))
            .collect()
    }

    pub fn count(&self, selector: &str) -> usize {
        let sel = Selector::parse(selector).expect("valid selector");
        self.html().select(&sel).count()
    }

    /// The page's JSON-LD item of schema.org type `kind`: the whole block,
    /// or one of its `@graph`. Fails if the page has none.
    pub fn json_ld(&self, kind: &str) -> serde_json::Value {
        let blocks = self.texts("script[type='application/ld+json']");
        assert_eq!(blocks.len(), 1, "one JSON-LD block: {blocks:?}");
        let ld: serde_json::Value = serde_json::from_str(&blocks[0]).expect("JSON-LD parses");
        assert_eq!(ld["@context"], "https://schema.org");
        let items = match ld["@graph"].as_array() {
            Some(items) => items.clone(),
            None => vec![ld],
        };
        items
            .into_iter()
            .find(|item| item["@type"] == kind)
            .unwrap_or_else(|| panic!("no {kind} in {}", blocks[0]))
    }
}

pub fn text_of(e: &scraper::ElementRef<'_>) -> String {
    e.text()
        .collect::<Vec<_>>()
        .join("")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

impl TestApp {
    /// An empty site.
    pub async fn spawn() -> Self {
        Self::spawn_with(Layer {
            demo: Some(false),
            ..Layer::default()
        })
        .await
    }

    /// The site with the built-in demo content.
    pub async fn spawn_with_demo() -> Self {
        Self::spawn_with(Layer::default()).await
    }

    pub async fn spawn_with(layer: Layer) -> Self {
        let db = std::sync::Arc::new(TestDb::new().await);
        Self::spawn_node(db, layer, raadhus_usecases::Clock::system()).await
    }

    /// A node on the given database.
    pub async fn spawn_on(db: TestDb, layer: Layer) -> Self {
        Self::spawn_node(
            std::sync::Arc::new(db),
            layer,
            raadhus_usecases::Clock::system(),
        )
        .await
    }

    /// Another node of the same site: its own server, data directory and
    /// search index, on this node's database and clock.
    pub async fn another_node(&self) -> Self {
        Self::spawn_node(
            self.db.clone(),
            Layer {
                demo: Some(false),
                ..Layer::default()
            },
            self.clock.clone(),
        )
        .await
    }

    async fn spawn_node(
        db: std::sync::Arc<TestDb>,
        layer: Layer,
        clock: raadhus_usecases::Clock,
    ) -> Self {
        Self::spawn_in(db, tempfile::tempdir().expect("temp dir"), layer, clock).await
    }

    async fn spawn_in(
        db: std::sync::Arc<TestDb>,
        data: tempfile::TempDir,
        layer: Layer,
        clock: raadhus_usecases::Clock,
    ) -> Self {
        let layer = layer.or(db.layer(data.path()));
        let config = Config::resolve(layer).expect("test config");
        let app = Application::build_with_clock(&config, clock.clone())
            .await
            .expect("application starts");
        let addr = app.local_addr().expect("bound address");
        let metrics = app.metrics_addr().expect("metrics address");
        let (stop, stopped) = oneshot::channel::<()>();
        let server = tokio::spawn(app.run_until_stopped(async {
            let _ = stopped.await;
        }));
        // A second connection to the same database, as another process would have.
        let store = raadhus::open_store(&config).await.expect("store");
        let site = store
            .primary_site("unused", Timestamp::now())
            .await
            .expect("site")
            .id;
        // A server that stops answering fails its test instead of hanging
        // the suite.
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(120))
            .build()
            .expect("client");
        Self {
            addr,
            metrics,
            store,
            site,
            clock,
            db,
            data,
            client,
            stop: Some(stop),
            server: Some(server),
        }
    }

    /// This node's data directory.
    pub fn data_dir(&self) -> &std::path::Path {
        self.data.path()
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub async fn get(&self, path: &str) -> Page {
        self.send(self.client.get(self.url(path))).await
    }

    pub async fn head(&self, path: &str) -> Page {
        self.send(self.client.head(self.url(path))).await
    }

    /// GET with the cookies of `session`.
    pub async fn get_as(&self, session: &Session, path: &str) -> Page {
        self.send(
            self.client
                .get(self.url(path))
                .header("cookie", &session.cookie),
        )
        .await
    }

    /// POSTs a form with the cookies of `session`; `_csrf` is added unless given.
    pub async fn post_as(&self, session: &Session, path: &str, fields: &[(&str, &str)]) -> Page {
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        if !fields.iter().any(|(k, _)| *k == "_csrf") {
            all.push(("_csrf", &session.csrf));
        }
        let body: String = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(all)
            .finish();
        self.send(
            self.client
                .post(self.url(path))
                .header("cookie", &session.cookie)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body),
        )
        .await
    }

    /// POSTs a form without any cookie (as someone not signed in).
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        self.post_form_with(path, fields, &[]).await
    }

    /// POSTs a form without any cookie, with extra `headers`.
    pub async fn post_form_with(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> Page {
        let body: String = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        let mut request = self
            .client
            .post(self.url(path))
            .header("content-type", "application/x-www-form-urlencoded");
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        self.send(request.body(body)).await
    }

    /// An API call: `token` as bearer, `body` sent as JSON.
    pub async fn api(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<&str>,
    ) -> Page {
        self.api_on(None, method, path, token, body).await
    }

    /// An API call to the site answering on `host` (none: the main site).
    pub async fn api_on(
        &self,
        host: Option<&str>,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<&str>,
    ) -> Page {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let mut request = self.client.request(method, self.url(path));
        if let Some(host) = host {
            request = request.header("host", host);
        }
        if let Some(token) = token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        if let Some(body) = body {
            request = request
                .header("content-type", "application/json")
                .body(body.to_string());
        }
        self.send(request).await
    }

    /// GET `path` on the site answering on `host` (the Host header).
    pub async fn get_on(&self, host: &str, path: &str) -> Page {
        self.send_with_header("GET", path, "host", host).await
    }

    /// A request with one extra header.
    pub async fn send_with_header(
        &self,
        method: &str,
        path: &str,
        header: &str,
        value: &str,
    ) -> Page {
        self.send_with_headers(method, path, &[(header, value)])
            .await
    }

    /// A request with extra headers.
    pub async fn send_with_headers(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
    ) -> Page {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let mut request = self.client.request(method, self.url(path));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        self.send(request).await
    }

    /// GET asking for `encoding`; the body as sent, undecoded.
    pub async fn raw_bytes(
        &self,
        path: &str,
        encoding: &str,
    ) -> (StatusCode, reqwest::header::HeaderMap, Vec<u8>) {
        let response = self
            .client
            .get(self.url(path))
            .header("accept-encoding", encoding)
            .send()
            .await
            .expect("request");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.bytes().await.expect("body").to_vec();
        (status, headers, bytes)
    }

    /// A POST with any content type and a bearer token.
    pub async fn send_raw(
        &self,
        method: &str,
        path: &str,
        token: &str,
        content_type: &str,
        body: &str,
    ) -> Page {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let request = self
            .client
            .request(method, self.url(path))
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", content_type)
            .body(body.to_string());
        self.send(request).await
    }

    /// The use cases on this node's database, as the command line has them
    /// (on the system clock), for setting up a test.
    pub fn usecases(&self) -> UseCases {
        UseCases::new(self.store.clone(), raadhus_usecases::Clock::system())
    }

    /// A user with an API token; returns the token.
    pub async fn api_token(&self, email: &str, role: &str) -> String {
        let user = self.user(email, role, "en god lang adgangskode").await;
        let (_, token) = self
            .usecases()
            .create_token(&Actor::cli(), user.id, "test")
            .await
            .expect("token stored");
        token
    }

    /// A request with a bearer token and a body of any type, sent as bytes.
    pub async fn send_bytes(
        &self,
        method: &str,
        path: &str,
        token: &str,
        content_type: &str,
        body: Vec<u8>,
    ) -> Page {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let request = self
            .client
            .request(method, self.url(path))
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", content_type)
            .body(body);
        self.send(request).await
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> Page {
        let response = request.send().await.expect("request");
        Page {
            status: response.status(),
            headers: response.headers().clone(),
            body: response.text().await.expect("body"),
        }
    }

    /// Creates a user directly in the database.
    pub async fn user(&self, email: &str, role: &str, password: &str) -> raadhus_domain::User {
        let input =
            raadhus_domain::UserInput::new(email, "Test Redaktør", role).expect("valid user");
        self.usecases()
            .create_user(&Actor::cli(), &input, password, &[])
            .await
            .expect("user stored")
    }

    /// Creates an editor and signs them in.
    pub async fn editor(&self) -> Session {
        let password = "en god lang adgangskode";
        self.user("redaktoer@vesterfjord.example", "editor", password)
            .await;
        self.sign_in("redaktoer@vesterfjord.example", password)
            .await
    }

    /// Signs in through the real form. Panics if it fails.
    pub async fn sign_in(&self, email: &str, password: &str) -> Session {
        let (page, login_cookie) = self.login_attempt(email, password).await;
        assert_eq!(
            page.status,
            StatusCode::SEE_OTHER,
            "sign-in failed: {}",
            page.body
        );
        let (name, cookie) = admin_cookie(&page, "raadhus_session").expect("session cookie");
        let mut session = Session {
            cookie: format!("{name}={cookie}; {login_cookie}"),
            csrf: String::new(),
        };
        let admin = self.get_as(&session, "/admin/nyheder/ny").await;
        session.csrf = admin
            .attrs("input[name=_csrf]", "value")
            .first()
            .cloned()
            .unwrap_or_else(|| panic!("no csrf token: {} {}", admin.status, admin.body));
        session
    }

    /// Loads the sign-in form and submits it; returns the answer and the login cookie.
    pub async fn login_attempt(&self, email: &str, password: &str) -> (Page, String) {
        let form = self.login_form().await;
        let page = self.submit_login(&form, email, password, &[]).await;
        (page, form.cookie)
    }

    /// Loads the sign-in form: its token and the cookie that goes with it.
    pub async fn login_form(&self) -> LoginForm {
        let form = self.get("/admin/login").await;
        let token = form
            .attrs("input[name=_login]", "value")
            .first()
            .cloned()
            .expect("login token");
        let (name, value) = admin_cookie(&form, "raadhus_login").expect("login cookie");
        LoginForm {
            token,
            cookie: format!("{name}={value}"),
        }
    }

    /// Submits a loaded sign-in form, with extra request headers.
    pub async fn submit_login(
        &self,
        form: &LoginForm,
        email: &str,
        password: &str,
        headers: &[(&str, &str)],
    ) -> Page {
        let fields = [("email", email), ("password", password)];
        self.submit_login_fields(form, &fields, headers).await
    }

    /// Submits a loaded sign-in form with these fields (its token added).
    pub async fn submit_login_fields(
        &self,
        form: &LoginForm,
        fields: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> Page {
        let body: String = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("_login", &form.token)
            .extend_pairs(fields)
            .finish();
        let mut request = self
            .client
            .post(self.url("/admin/login"))
            .header("cookie", &form.cookie)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        self.send(request).await
    }

    pub async fn contact(
        &self,
        name: &str,
        title: &str,
        email: &str,
        phone: &str,
    ) -> ContactPerson {
        let input =
            ContactInput::new(name, Some(title), Some(email), Some(phone)).expect("valid contact");
        self.usecases()
            .create(self.site, &Actor::cli(), &input)
            .await
            .expect("contact stored")
    }

    /// Stores an article; `status` is "draft" or "published".
    pub async fn news(&self, form: NewsForm<'_>) -> NewsArticle {
        let today = raadhus_domain::date::local_date(Timestamp::now());
        let content = NewsContent::new(form, today).expect("valid news");
        self.usecases()
            .create_news(self.site, &Actor::cli(), NewsDraft::unchanged(content))
            .await
            .expect("news stored")
    }

    /// Waits (bounded) until this node has applied every change in the
    /// journal, including those written through [`TestApp::store`].
    pub async fn settled(&self) {
        let latest = self.store.latest_change().await.expect("journal");
        for _ in 0..250 {
            let health = self.get("/healthz").await.json();
            if health["cache"]["journal"].as_i64() >= Some(latest) {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        panic!("the node never applied change {latest}");
    }

    /// Stops the server but keeps its data directory, to start it again later
    /// as a node that was down.
    pub async fn pause(mut self) -> PausedNode {
        let data = std::mem::replace(&mut self.data, tempfile::tempdir().expect("temp dir"));
        let (db, clock) = (self.db.clone(), self.clock.clone());
        self.stop().await;
        PausedNode { db, data, clock }
    }

    /// Stops the server and waits for it to finish.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(server) = self.server.take() {
            server.await.expect("server task");
        }
    }
}

/// A node that was stopped, with its data directory (search index) kept.
pub struct PausedNode {
    db: std::sync::Arc<TestDb>,
    data: tempfile::TempDir,
    clock: raadhus_usecases::Clock,
}

impl PausedNode {
    /// The database the node runs on.
    pub fn db(&self) -> &TestDb {
        &self.db
    }

    /// Its data directory, kept while it is down.
    pub fn data_dir(&self) -> &std::path::Path {
        self.data.path()
    }

    /// Starts the node again on its old data directory.
    pub async fn resume(self) -> TestApp {
        let layer = Layer {
            demo: Some(false),
            ..Layer::default()
        };
        TestApp::spawn_in(self.db, self.data, layer, self.clock).await
    }
}

/// Selects scripts a browser would run that are not loaded from a file. The
/// JSON-LD data blocks are never run.
pub const EXECUTABLE_INLINE_SCRIPT: &str = "script:not([src]):not([type='application/ld+json'])";

/// A loaded sign-in form.
pub struct LoginForm {
    pub token: String,
    pub cookie: String,
}

/// Runs the futures at once on this task and collects their answers, in order.
pub async fn join_all<F: std::future::Future>(futures: Vec<F>) -> Vec<F::Output> {
    let mut pinned: Vec<_> = futures.into_iter().map(Box::pin).collect();
    let mut answers: Vec<Option<F::Output>> = pinned.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (future, answer) in pinned.iter_mut().zip(answers.iter_mut()) {
            if answer.is_none() {
                match future.as_mut().poll(cx) {
                    std::task::Poll::Ready(value) => *answer = Some(value),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    answers.into_iter().flatten().collect()
}

/// A signed-in browser: its cookies and the session's CSRF token.
#[derive(Clone)]
pub struct Session {
    pub cookie: String,
    pub csrf: String,
}

/// The name and value of admin cookie `name` a response sets: with the
/// `__Host-` prefix on an https site.
pub fn admin_cookie(page: &Page, name: &str) -> Option<(String, String)> {
    let prefixed = format!("__Host-{name}");
    [name, prefixed.as_str()]
        .into_iter()
        .find_map(|n| set_cookie_value(page, n).map(|v| (n.to_string(), v)))
}

/// The value a response sets for cookie `name`.
pub fn set_cookie_value(page: &Page, name: &str) -> Option<String> {
    page.headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| {
            let (pair, _) = v.split_once(';').unwrap_or((v, ""));
            let (k, value) = pair.split_once('=')?;
            (k == name).then(|| value.to_string())
        })
}

/// The use cases on `store` with a clock that reads `at` now, for saving as
/// if at another time.
pub fn usecases_at(store: &Store, at: Timestamp) -> UseCases {
    let clock = raadhus_usecases::Clock::system();
    clock.advance(at.duration_since(Timestamp::now()));
    UseCases::new(store.clone(), clock)
}

/// Saves an article as the command line would, as if at `at`.
pub async fn save_news_at(
    store: &Store,
    site: SiteId,
    form: NewsForm<'_>,
    at: Timestamp,
) -> NewsArticle {
    let content = NewsContent::new(form, raadhus_domain::date::local_date(at)).expect("valid news");
    usecases_at(store, at)
        .create_news(site, &Actor::cli(), NewsDraft::unchanged(content))
        .await
        .expect("news stored")
}

/// A published article form with the given title and date.
pub fn published<'a>(title: &'a str, news_date: &'a str) -> NewsForm<'a> {
    NewsForm {
        title,
        body: "Brødtekst.",
        news_date,
        status: "published",
        ..NewsForm::default()
    }
}

/// When the machine lacks something a test needs: in CI the test fails with
/// `why`; elsewhere it says so, and the caller returns (skips).
pub fn cannot_run(why: &str) {
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "{why}; this test must run in CI"
    );
    eprintln!("note: skipping a test: {why}");
}
