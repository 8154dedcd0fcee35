//! A real HTTP/1.1 server on loopback, for tests: every request the crawler makes in a test
//! goes through a socket to this server, never to the internet.
//!
//! It can misbehave on purpose (drip a body, send one forever, cut a body short) and it
//! records what it saw, so tests can check the crawler's manners from the server's side:
//! how many requests were in flight at once, and how far apart they started.

use bytes::Bytes;
use http_body_util::channel::{Channel, Sender};
use http_body_util::{Either, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use url::Url;

/// What the test's handler sees of a request.
#[derive(Clone, Debug)]
pub struct Request {
    pub path: String,
    pub query: Option<String>,
    pub headers: Vec<(String, String)>,
}

impl Request {
    /// A query parameter, decoded.
    pub fn param(&self, name: &str) -> Option<String> {
        let query = self.query.as_deref()?;
        url::form_urlencoded::parse(query.as_bytes())
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Path and query, as requested.
    pub fn target(&self) -> String {
        match &self.query {
            Some(q) => format!("{}?{}", self.path, q),
            None => self.path.clone(),
        }
    }
}

/// How the body is sent.
#[derive(Clone, Debug)]
pub enum Body {
    /// All at once.
    Full(Vec<u8>),
    /// One byte at a time, with a pause between bytes.
    Drip { bytes: Vec<u8>, every: Duration },
    /// The same chunk again and again, without a length, until the client hangs up.
    Endless(Vec<u8>),
    /// These bytes, then the connection is cut before the body ends.
    Cut(Vec<u8>),
}

/// What the handler answers.
#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Body,
    pub delay: Duration,
}

impl Reply {
    pub fn ok(content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        Reply {
            status: 200,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: Body::Full(body.into()),
            delay: Duration::ZERO,
        }
    }

    pub fn status(status: u16) -> Self {
        Reply {
            status,
            headers: vec![("Content-Type".into(), "text/plain".into())],
            body: Body::Full(format!("status {status}").into_bytes()),
            delay: Duration::ZERO,
        }
    }

    pub fn not_found() -> Self {
        Reply::status(404)
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    pub fn body(mut self, body: Body) -> Self {
        self.body = body;
        self
    }

    /// Waits this long before answering.
    pub fn after(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

type Handler = dyn Fn(&Request) -> Reply + Send + Sync;

/// What the server saw.
#[derive(Default)]
struct Seen {
    targets: Vec<String>,
    starts: Vec<(String, Instant)>,
    in_flight: usize,
    max_in_flight: usize,
}

/// A running server. It stops when dropped.
pub struct TestServer {
    pub addr: SocketAddr,
    seen: Arc<Mutex<Seen>>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl TestServer {
    /// Starts a server on 127.0.0.1 with its own thread and runtime, so that synchronous
    /// tests (which run the `archive` binary) and async tests can both use it.
    pub fn start(handler: impl Fn(&Request) -> Reply + Send + Sync + 'static) -> Self {
        Self::start_on("127.0.0.1:0".parse().unwrap(), handler)
    }

    pub fn start_on(
        addr: SocketAddr,
        handler: impl Fn(&Request) -> Reply + Send + Sync + 'static,
    ) -> Self {
        let handler: Arc<Handler> = Arc::new(handler);
        let seen = Arc::new(Mutex::new(Seen::default()));
        let listener = std::net::TcpListener::bind(addr).expect("bind loopback");
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let (shutdown, stop) = tokio::sync::oneshot::channel::<()>();
        let thread_seen = seen.clone();
        let thread = std::thread::spawn(move || accept_loop(listener, handler, thread_seen, stop));
        TestServer {
            addr,
            seen,
            shutdown: Some(shutdown),
            thread: Some(thread),
        }
    }

    /// `http://127.0.0.1:PORT`
    pub fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn url(&self, path_and_query: &str) -> Url {
        Url::parse(&self.origin())
            .unwrap()
            .join(path_and_query)
            .unwrap()
    }

    /// Every request target served so far, in order of arrival.
    pub fn hits(&self) -> Vec<String> {
        self.seen.lock().unwrap().targets.clone()
    }

    /// How many requests had this exact path.
    pub fn hits_on(&self, path: &str) -> usize {
        self.hits()
            .iter()
            .filter(|t| t.split('?').next() == Some(path))
            .count()
    }

    /// The most requests this server was handling at the same moment.
    pub fn max_in_flight(&self) -> usize {
        self.seen.lock().unwrap().max_in_flight
    }

    /// When each request arrived, in order, as (target, time).
    pub fn starts(&self) -> Vec<(String, Instant)> {
        self.seen.lock().unwrap().starts.clone()
    }

    /// The shortest time between the starts of two requests whose path starts with `prefix`.
    pub fn min_gap(&self, prefix: &str) -> Option<Duration> {
        let seen = self.seen.lock().unwrap();
        let starts: Vec<Instant> = seen
            .starts
            .iter()
            .filter(|(t, _)| t.starts_with(prefix))
            .map(|(_, at)| *at)
            .collect();
        starts.windows(2).map(|w| w[1] - w[0]).min()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(s) = self.shutdown.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn accept_loop(
    listener: std::net::TcpListener,
    handler: Arc<Handler>,
    seen: Arc<Mutex<Seen>>,
    mut stop: tokio::sync::oneshot::Receiver<()>,
) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener).unwrap();
        loop {
            tokio::select! {
                _ = &mut stop => break,
                accepted = listener.accept() => {
                    let Ok((stream, _)) = accepted else { continue };
                    let (handler, seen) = (handler.clone(), seen.clone());
                    tokio::spawn(async move {
                        let service = service_fn(move |req| serve(req, handler.clone(), seen.clone()));
                        let _ = http1::Builder::new()
                            .serve_connection(TokioIo::new(stream), service)
                            .await;
                    });
                }
            }
        }
    });
    // Connections still dripping or streaming end with the runtime.
    runtime.shutdown_background();
}

type ResponseBody = Either<Full<Bytes>, Channel<Bytes, std::io::Error>>;

/// Counts a request as in flight from its arrival until its body has been sent.
struct InFlight(Arc<Mutex<Seen>>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.lock().unwrap().in_flight -= 1;
    }
}

async fn serve(
    request: hyper::Request<Incoming>,
    handler: Arc<Handler>,
    seen: Arc<Mutex<Seen>>,
) -> Result<hyper::Response<ResponseBody>, Infallible> {
    let request = Request {
        path: request.uri().path().to_string(),
        query: request.uri().query().map(str::to_string),
        headers: request
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
    };
    let in_flight = {
        let mut seen_now = seen.lock().unwrap();
        seen_now.targets.push(request.target());
        seen_now.starts.push((request.target(), Instant::now()));
        seen_now.in_flight += 1;
        seen_now.max_in_flight = seen_now.max_in_flight.max(seen_now.in_flight);
        InFlight(seen.clone())
    };
    let reply = handler(&request);
    if !reply.delay.is_zero() {
        tokio::time::sleep(reply.delay).await;
    }
    let mut response = hyper::Response::builder().status(reply.status);
    for (name, value) in &reply.headers {
        response = response.header(name, value);
    }
    let body = match reply.body {
        Body::Full(bytes) => {
            drop(in_flight);
            Either::Left(Full::new(Bytes::from(bytes)))
        }
        streamed => {
            let (sender, body) = Channel::new(1);
            tokio::spawn(stream(streamed, sender, in_flight));
            Either::Right(body)
        }
    };
    Ok(response.body(body).unwrap())
}

async fn stream(body: Body, mut sender: Sender<Bytes, std::io::Error>, _in_flight: InFlight) {
    match body {
        Body::Full(_) => {}
        Body::Drip { bytes, every } => {
            for byte in bytes {
                if sender.send_data(Bytes::from(vec![byte])).await.is_err() {
                    return;
                }
                tokio::time::sleep(every).await;
            }
        }
        Body::Endless(chunk) => {
            let chunk = Bytes::from(chunk);
            while sender.send_data(chunk.clone()).await.is_ok() {}
        }
        Body::Cut(bytes) => {
            let _ = sender.send_data(Bytes::from(bytes)).await;
            sender.abort(std::io::Error::other("cut on purpose"));
        }
    }
}
