//! A real HTTP/1.1 server on loopback (hyper), so that the crawl benchmarks go through sockets
//! exactly as a crawl of the web does, with a fixed latency added to every response.
//!
//! One server listens on several addresses (127.0.0.2 … 127.0.0.9 are eight hosts to the
//! crawler) and keeps, for each page it served, when the request arrived and when it was
//! answered, so the achieved rate can be read from the server's side too.

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::Full;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;

/// What a handler answers.
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) content_type: &'static str,
    pub(crate) body: Bytes,
}

impl Reply {
    pub(crate) fn ok(content_type: &'static str, body: impl Into<Bytes>) -> Self {
        Reply {
            status: 200,
            content_type,
            body: body.into(),
        }
    }

    pub(crate) fn not_found() -> Self {
        Reply {
            status: 404,
            content_type: "text/plain",
            body: Bytes::from_static(b"not found"),
        }
    }
}

/// Answers a request from its path and query; runs on the server's runtime, so it must be quick
/// or the measured latency grows.
pub(crate) type Handler = dyn Fn(&str, Option<&str>) -> Reply + Send + Sync;

/// When each request whose path starts with the tracked prefix arrived and was answered.
type Spans = Arc<Mutex<Vec<(Instant, Instant)>>>;

/// A running server; it stops when dropped.
pub(crate) struct Server {
    pub(crate) addrs: Vec<SocketAddr>,
    spans: Spans,
    shutdown: Option<tokio::sync::watch::Sender<bool>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    /// Listens on a free port of each address and answers every request after `latency`.
    /// Requests whose path starts with `tracked` are timed.
    pub(crate) fn start(
        ips: &[IpAddr],
        latency: Duration,
        tracked: &'static str,
        handler: Arc<Handler>,
    ) -> std::io::Result<Self> {
        let mut listeners = Vec::new();
        for ip in ips {
            let listener = std::net::TcpListener::bind(SocketAddr::new(*ip, 0))?;
            listener.set_nonblocking(true)?;
            listeners.push(listener);
        }
        let addrs = listeners
            .iter()
            .map(std::net::TcpListener::local_addr)
            .collect::<Result<_, _>>()?;
        let spans = Spans::default();
        let (shutdown, stop) = tokio::sync::watch::channel(false);
        let config = Arc::new(Config {
            latency,
            tracked,
            handler,
            spans: spans.clone(),
        });
        let thread = std::thread::Builder::new()
            .name("bench-server".into())
            .spawn(move || serve_all(listeners, &config, &stop))?;
        Ok(Server {
            addrs,
            spans,
            shutdown: Some(shutdown),
            thread: Some(thread),
        })
    }

    /// `http://ADDR` of the `i`-th address.
    pub(crate) fn origin(&self, i: usize) -> String {
        format!("http://{}", self.addrs[i])
    }

    /// How many tracked requests were served, and the time from the first one's arrival to
    /// the last one's answer.
    pub(crate) fn tracked_window(&self) -> (usize, Duration) {
        let spans = self.spans.lock().unwrap_or_else(PoisonError::into_inner);
        let first = spans.iter().map(|(start, _)| *start).min();
        let last = spans.iter().map(|(_, end)| *end).max();
        let window = first
            .zip(last)
            .map_or(Duration::ZERO, |(first, last)| last - first);
        (spans.len(), window)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(true);
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

struct Config {
    latency: Duration,
    tracked: &'static str,
    handler: Arc<Handler>,
    spans: Spans,
}

fn serve_all(
    listeners: Vec<std::net::TcpListener>,
    config: &Arc<Config>,
    stop: &tokio::sync::watch::Receiver<bool>,
) {
    // One worker: the server must not take a core from what it measures.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("a runtime for the loopback server");
    runtime.block_on(async {
        let mut tasks = Vec::new();
        for listener in listeners {
            let (config, mut stop) = (config.clone(), stop.clone());
            tasks.push(tokio::spawn(async move {
                let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
                    return;
                };
                loop {
                    tokio::select! {
                        _ = stop.changed() => break,
                        accepted = listener.accept() => {
                            if let Ok((stream, _)) = accepted {
                                tokio::spawn(connection(stream, config.clone()));
                            }
                        }
                    }
                }
            }));
        }
        for task in tasks {
            let _ = task.await;
        }
    });
    runtime.shutdown_background();
}

async fn connection(stream: tokio::net::TcpStream, config: Arc<Config>) {
    let service = service_fn(move |request| answer(request, config.clone()));
    let _ = http1::Builder::new()
        .serve_connection(TokioIo::new(stream), service)
        .await;
}

async fn answer(
    request: hyper::Request<hyper::body::Incoming>,
    config: Arc<Config>,
) -> Result<hyper::Response<Full<Bytes>>, Infallible> {
    let arrived = Instant::now();
    let path = request.uri().path().to_string();
    let query = request.uri().query().map(str::to_string);
    let reply = (config.handler)(&path, query.as_deref());
    tokio::time::sleep_until((arrived + config.latency).into()).await;
    let response = hyper::Response::builder()
        .status(reply.status)
        .header("content-type", reply.content_type)
        .body(Full::new(reply.body))
        .expect("a valid response");
    if path.starts_with(config.tracked) {
        let mut spans = config.spans.lock().unwrap_or_else(PoisonError::into_inner);
        spans.push((arrived, Instant::now()));
    }
    Ok(response)
}
