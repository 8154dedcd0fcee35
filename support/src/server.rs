//! A real HTTP/1.1 server on loopback (hyper): every request the crawler makes in a test or a
//! benchmark goes through a socket to this server, never to the internet.
//!
//! It can misbehave on purpose (drip a body, send one forever, cut a body short, answer late)
//! and it records what it saw, so tests can check the crawler's manners from the server's
//! side: how many requests were in flight at once, how far apart they started, and when each
//! was answered.
//!
//! [`TestServer::start`] listens on 127.0.0.1. [`TestServer::builder`] also listens on several
//! addresses at once (127.0.0.2, 127.0.0.3 … are as many hosts to the crawler), adds a fixed
//! latency to every answer, and chooses how many threads serve: the benchmarks give it one, so
//! that it takes no core from what they measure.

use bytes::Bytes;
use http_body_util::channel::{Channel, Sender};
use http_body_util::{Either, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};
use url::Url;

/// What the handler sees of a request.
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
    /// These bytes in pieces of `chunk` bytes, with a pause between pieces: a large file
    /// served slowly.
    Paced {
        bytes: Vec<u8>,
        chunk: usize,
        every: Duration,
    },
    /// `length` bytes made on the fly by repeating `pattern`, as fast as the client reads:
    /// a file of any size without holding it in memory. Give `Content-Length` in the
    /// headers to announce it.
    Repeat { pattern: Vec<u8>, length: u64 },
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

    /// Waits this long before answering, after the server's own latency.
    pub fn after(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

/// Answers a request. It runs on the server's runtime: a slow handler delays every answer.
type Handler = dyn Fn(&Request) -> Reply + Send + Sync;

/// One request the server saw.
struct Hit {
    target: String,
    arrived: Instant,
    /// When its body was sent in full; `None` while it is in flight, or if it never was.
    answered: Option<Instant>,
}

/// What the server saw.
#[derive(Default)]
struct Seen {
    /// Every request, in order of arrival.
    hits: Vec<Hit>,
    in_flight: usize,
    max_in_flight: usize,
}

/// What the serving thread and the [`TestServer`] share.
struct Shared {
    handler: Box<Handler>,
    latency: Duration,
    seen: Mutex<Seen>,
}

impl Shared {
    /// A handler that panicked poisons nothing the records need.
    fn seen(&self) -> MutexGuard<'_, Seen> {
        self.seen.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// How to start a [`TestServer`]: see [`TestServer::builder`].
#[derive(Debug)]
pub struct Builder {
    addrs: Vec<SocketAddr>,
    latency: Duration,
    workers: usize,
}

impl Builder {
    /// Listens on these addresses too; port 0 takes a free port. Without any, the server
    /// listens on a free port of 127.0.0.1.
    pub fn listen(mut self, addrs: impl IntoIterator<Item = SocketAddr>) -> Self {
        self.addrs.extend(addrs);
        self
    }

    /// Answers every request this long after it arrived, at the soonest.
    pub fn latency(mut self, latency: Duration) -> Self {
        self.latency = latency;
        self
    }

    /// Serves with this many threads (2 unless told).
    pub fn workers(mut self, workers: usize) -> Self {
        self.workers = workers.max(1);
        self
    }

    /// Binds every address and starts serving on a thread and runtime of its own, so that
    /// synchronous code (which runs the `archive` binary) and async code can both use it.
    ///
    /// # Errors
    /// When an address cannot be bound, or the thread cannot be started.
    pub fn start(
        self,
        handler: impl Fn(&Request) -> Reply + Send + Sync + 'static,
    ) -> std::io::Result<TestServer> {
        let mut addrs = self.addrs;
        if addrs.is_empty() {
            addrs.push(SocketAddr::from(([127, 0, 0, 1], 0)));
        }
        let mut listeners = Vec::new();
        for addr in addrs {
            let listener = std::net::TcpListener::bind(addr)?;
            listener.set_nonblocking(true)?;
            listeners.push(listener);
        }
        let addrs: Vec<SocketAddr> = listeners
            .iter()
            .map(std::net::TcpListener::local_addr)
            .collect::<Result<_, _>>()?;
        let shared = Arc::new(Shared {
            handler: Box::new(handler),
            latency: self.latency,
            seen: Mutex::default(),
        });
        let (shutdown, stop) = tokio::sync::watch::channel(());
        let (workers, serving) = (self.workers, shared.clone());
        let thread = std::thread::Builder::new()
            .name("loopback-server".into())
            .spawn(move || serve(listeners, workers, &serving, &stop))?;
        Ok(TestServer {
            addr: addrs[0],
            addrs,
            shared,
            shutdown: Some(shutdown),
            thread: Some(thread),
        })
    }
}

/// A running server. It stops when dropped.
pub struct TestServer {
    /// The first address it listens on.
    pub addr: SocketAddr,
    /// Every address it listens on, in the order they were given.
    pub addrs: Vec<SocketAddr>,
    shared: Arc<Shared>,
    shutdown: Option<tokio::sync::watch::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl TestServer {
    /// Starts a server on a free port of 127.0.0.1.
    ///
    /// # Panics
    /// When it cannot start; so does every test that needs it.
    pub fn start(handler: impl Fn(&Request) -> Reply + Send + Sync + 'static) -> Self {
        Self::builder().start(handler).expect("a loopback server")
    }

    /// Starts a server on `addr`, such as `127.0.0.2:0`.
    ///
    /// # Panics
    /// When it cannot start; so does every test that needs it.
    pub fn start_on(
        addr: SocketAddr,
        handler: impl Fn(&Request) -> Reply + Send + Sync + 'static,
    ) -> Self {
        Self::builder()
            .listen([addr])
            .start(handler)
            .expect("a loopback server")
    }

    /// A server on several addresses, with a latency, or with fewer threads.
    pub fn builder() -> Builder {
        Builder {
            addrs: Vec::new(),
            latency: Duration::ZERO,
            workers: 2,
        }
    }

    /// `http://127.0.0.1:PORT`: the origin of the first address.
    pub fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// `http://ADDR:PORT` of the `i`-th address.
    ///
    /// # Panics
    /// When the server has fewer addresses.
    pub fn origin_at(&self, i: usize) -> String {
        format!("http://{}", self.addrs[i])
    }

    /// A URL on the first address.
    ///
    /// # Panics
    /// When `path_and_query` does not make a URL.
    pub fn url(&self, path_and_query: &str) -> Url {
        Url::parse(&self.origin())
            .and_then(|origin| origin.join(path_and_query))
            .expect("a URL on the server")
    }

    /// Every request target served so far, in order of arrival.
    pub fn hits(&self) -> Vec<String> {
        let seen = self.shared.seen();
        seen.hits.iter().map(|hit| hit.target.clone()).collect()
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
        self.shared.seen().max_in_flight
    }

    /// When each request arrived, in order, as (target, time).
    pub fn starts(&self) -> Vec<(String, Instant)> {
        let seen = self.shared.seen();
        seen.hits
            .iter()
            .map(|hit| (hit.target.clone(), hit.arrived))
            .collect()
    }

    /// The shortest time between the starts of two requests whose target starts with `prefix`.
    pub fn min_gap(&self, prefix: &str) -> Option<Duration> {
        let starts: Vec<Instant> = self
            .starts()
            .into_iter()
            .filter(|(target, _)| target.starts_with(prefix))
            .map(|(_, at)| at)
            .collect();
        starts.windows(2).map(|w| w[1] - w[0]).min()
    }

    /// How many requests whose target starts with `prefix` were answered in full, and the
    /// time from the first one's arrival to the last one's answer: the rate the server saw.
    pub fn answered(&self, prefix: &str) -> (usize, Duration) {
        let seen = self.shared.seen();
        let spans: Vec<(Instant, Instant)> = seen
            .hits
            .iter()
            .filter(|hit| hit.target.starts_with(prefix))
            .filter_map(|hit| Some((hit.arrived, hit.answered?)))
            .collect();
        let first = spans.iter().map(|(arrived, _)| *arrived).min();
        let last = spans.iter().map(|(_, answered)| *answered).max();
        let window = first
            .zip(last)
            .map_or(Duration::ZERO, |(first, last)| last - first);
        (spans.len(), window)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        // Dropping the sender wakes every accept loop.
        drop(self.shutdown.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn serve(
    listeners: Vec<std::net::TcpListener>,
    workers: usize,
    shared: &Arc<Shared>,
    stop: &tokio::sync::watch::Receiver<()>,
) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .enable_all()
        .build()
        .expect("a runtime for the loopback server");
    runtime.block_on(async {
        let mut accepting = Vec::new();
        for listener in listeners {
            let (shared, mut stop) = (shared.clone(), stop.clone());
            accepting.push(tokio::spawn(async move {
                let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
                    return;
                };
                loop {
                    tokio::select! {
                        _ = stop.changed() => break,
                        accepted = listener.accept() => {
                            let Ok((stream, _)) = accepted else { continue };
                            tokio::spawn(connection(stream, shared.clone()));
                        }
                    }
                }
            }));
        }
        for task in accepting {
            let _ = task.await;
        }
    });
    // Connections still dripping or streaming end with the runtime.
    runtime.shutdown_background();
}

async fn connection(stream: tokio::net::TcpStream, shared: Arc<Shared>) {
    // As web servers do (nginx's `tcp_nodelay`): the pieces of a paced body go out as they
    // are written, not held back until the client acknowledges the one before.
    let _ = stream.set_nodelay(true);
    let service = service_fn(move |request| answer(request, shared.clone()));
    let _ = http1::Builder::new()
        .serve_connection(TokioIo::new(stream), service)
        .await;
}

type ResponseBody = Either<Full<Bytes>, Channel<Bytes, std::io::Error>>;

/// Counts a request as in flight from its arrival until its body has been sent or given up.
struct InFlight {
    shared: Arc<Shared>,
    /// The request's place in [`Seen::hits`].
    hit: usize,
}

impl InFlight {
    /// The body was sent in full: notes when.
    fn answered(self) {
        self.shared.seen().hits[self.hit].answered = Some(Instant::now());
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.shared.seen().in_flight -= 1;
    }
}

async fn answer(
    request: hyper::Request<Incoming>,
    shared: Arc<Shared>,
) -> Result<hyper::Response<ResponseBody>, Infallible> {
    let arrived = Instant::now();
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
        let mut seen = shared.seen();
        seen.hits.push(Hit {
            target: request.target(),
            arrived,
            answered: None,
        });
        seen.in_flight += 1;
        seen.max_in_flight = seen.max_in_flight.max(seen.in_flight);
        InFlight {
            shared: shared.clone(),
            hit: seen.hits.len() - 1,
        }
    };
    let reply = (shared.handler)(&request);
    if !shared.latency.is_zero() {
        tokio::time::sleep_until((arrived + shared.latency).into()).await;
    }
    if !reply.delay.is_zero() {
        tokio::time::sleep(reply.delay).await;
    }
    let mut response = hyper::Response::builder().status(reply.status);
    for (name, value) in &reply.headers {
        response = response.header(name, value);
    }
    let body = match reply.body {
        Body::Full(bytes) => {
            in_flight.answered();
            Either::Left(Full::new(Bytes::from(bytes)))
        }
        streamed => {
            let (sender, body) = Channel::new(1);
            tokio::spawn(stream(streamed, sender, in_flight));
            Either::Right(body)
        }
    };
    Ok(response.body(body).expect("a valid response"))
}

async fn stream(body: Body, mut sender: Sender<Bytes, std::io::Error>, in_flight: InFlight) {
    match body {
        Body::Full(_) => {}
        Body::Drip { bytes, every } => {
            for byte in bytes {
                if sender.send_data(Bytes::from(vec![byte])).await.is_err() {
                    return;
                }
                tokio::time::sleep(every).await;
            }
            in_flight.answered();
        }
        Body::Endless(chunk) => {
            let chunk = Bytes::from(chunk);
            while sender.send_data(chunk.clone()).await.is_ok() {}
        }
        Body::Cut(bytes) => {
            let _ = sender.send_data(Bytes::from(bytes)).await;
            sender.abort(std::io::Error::other("cut on purpose"));
        }
        Body::Paced {
            bytes,
            chunk,
            every,
        } => {
            for (i, piece) in bytes.chunks(chunk.max(1)).enumerate() {
                if i > 0 {
                    tokio::time::sleep(every).await;
                }
                if sender
                    .send_data(Bytes::copy_from_slice(piece))
                    .await
                    .is_err()
                {
                    return;
                }
            }
            in_flight.answered();
        }
        Body::Repeat { pattern, length } => {
            let pattern = Bytes::from(pattern);
            let mut left = length;
            while left > 0 && !pattern.is_empty() {
                let take = usize::try_from(left).map_or(pattern.len(), |l| l.min(pattern.len()));
                if sender.send_data(pattern.slice(..take)).await.is_err() {
                    return;
                }
                left -= take as u64;
            }
            in_flight.answered();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};
    use std::net::{IpAddr, Ipv4Addr};

    /// A plain HTTP/1.1 GET over a socket: the status line and the body.
    fn get(addr: SocketAddr, target: &str) -> (String, String) {
        let mut stream = std::net::TcpStream::connect(addr).expect("connect");
        write!(
            stream,
            "GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
        )
        .expect("send");
        // A body cut short ends in an error, after what was sent.
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
        let answer = String::from_utf8_lossy(&answer).into_owned();
        let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
        let status = head.lines().next().unwrap_or_default().to_string();
        (status, body.to_string())
    }

    #[test]
    fn answers_and_records_what_it_saw() {
        let server = TestServer::start(|request| match request.param("name") {
            Some(name) => Reply::ok("text/plain", format!("hello {name}")),
            None => Reply::not_found(),
        });
        let (status, body) = get(server.addr, "/greet?name=ada");
        assert!(status.ends_with("200 OK"), "{status}");
        assert_eq!(body, "hello ada");
        let (status, _) = get(server.addr, "/missing");
        assert!(status.ends_with("404 Not Found"), "{status}");
        assert_eq!(server.hits(), ["/greet?name=ada", "/missing"]);
        assert_eq!(server.hits_on("/greet"), 1);
        assert_eq!(server.max_in_flight(), 1);
        assert_eq!(server.answered("/").0, 2);
    }

    #[test]
    fn listens_on_several_addresses_with_a_latency() {
        let ips = [Ipv4Addr::LOCALHOST, Ipv4Addr::new(127, 0, 0, 2)];
        let latency = Duration::from_millis(50);
        let server = TestServer::builder()
            .listen(ips.map(|ip| SocketAddr::new(IpAddr::V4(ip), 0)))
            .latency(latency)
            .workers(1)
            .start(|request| Reply::ok("text/plain", request.path.clone()))
            .expect("a server");
        assert_eq!(server.addrs.len(), 2);
        assert_eq!(server.origin_at(1), format!("http://{}", server.addrs[1]));
        for (i, addr) in server.addrs.iter().enumerate() {
            let started = Instant::now();
            let (_, body) = get(*addr, &format!("/p/{i}"));
            assert_eq!(body, format!("/p/{i}"));
            assert!(started.elapsed() >= latency);
        }
        get(server.addr, "/other");
        let (answered, window) = server.answered("/p/");
        assert_eq!(answered, 2);
        assert!(window >= 2 * latency, "{window:?}");
    }

    #[test]
    fn paced_and_repeated_bodies_arrive_whole() {
        let server = TestServer::start(|request| match request.path.as_str() {
            "/paced" => Reply::ok("application/octet-stream", "")
                .header("Content-Length", "10")
                .body(Body::Paced {
                    bytes: b"0123456789".to_vec(),
                    chunk: 3,
                    every: Duration::from_millis(5),
                }),
            _ => Reply::ok("application/octet-stream", "")
                .header("Content-Length", "10")
                .body(Body::Repeat {
                    pattern: b"abcd".to_vec(),
                    length: 10,
                }),
        });
        assert_eq!(get(server.addr, "/paced").1, "0123456789");
        let (status, body) = get(server.addr, "/repeat");
        assert!(status.ends_with("200 OK"), "{status}");
        assert_eq!(body, "abcdabcdab");
    }

    #[test]
    fn a_body_cut_short_is_never_answered() {
        let server =
            TestServer::start(|_| Reply::ok("text/plain", "").body(Body::Cut(b"half".to_vec())));
        let (status, _) = get(server.addr, "/cut");
        assert!(status.ends_with("200 OK"), "{status}");
        assert_eq!(server.hits(), ["/cut"]);
        assert_eq!(server.answered("/cut").0, 0);
        assert_eq!(server.max_in_flight(), 1);
    }
}
