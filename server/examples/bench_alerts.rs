//! Alert delivery benchmark: how long a published alert takes to reach every open live
//! stream (`GET /api/events`, server-sent events), with tens of thousands of them open.
//!
//! - `listen` opens N plain HTTP/1.1 connections to one server, spread over source
//!   addresses (each socket is bound to its address before connecting, so every address
//!   has its own ~28,000 ephemeral ports), at most `--concurrency` connecting at a
//!   time, each retried a few times. When all have their response headers it writes
//!   `--ready-file`; then it records `now − sent_at` for each alert every connection
//!   receives, and writes a JSON report (`--out`, else stdout) once every connection
//!   has seen `--expect` distinct alerts, after `--timeout-s` (counted from ready), or
//!   on SIGTERM/SIGINT.
//! - `publish` signs in and publishes `--count` alerts `--gap-ms` apart; prints their ids.
//! - `report` merges listeners' JSON reports into Markdown tables (exact percentiles from
//!   the per-millisecond histograms) against `--budget-ms`.
//!
//! ```text
//! bench_alerts listen --url http://127.0.0.1:3101 --connections 13500 \
//!     --sources 127.0.0.2,127.0.0.3 --expect 3 --ready-file /tmp/l1.ready --out /tmp/l1.json
//! bench_alerts publish --url http://127.0.0.1:3101 --phone 13903950000 \
//!     --password tongxin2026 --count 3 --gap-ms 2000
//! bench_alerts report --budget-ms 1000 /tmp/l1.json /tmp/l2.json
//! ```
//!
//! `.ci/bench-alerts.sh` runs the whole benchmark (2 servers on one PostgreSQL, 2
//! listeners). Both ends run on one machine, so `sent_at` and the listener's clock agree.
//! Hand-written HTTP/1.1 keeps a connection to one task, one 1 KiB read buffer and two
//! short line buffers.
#![recursion_limit = "256"]

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::error::Error;
use std::fmt::Write as _;
use std::net::{IpAddr, SocketAddr};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};
use tokio::signal::unix::{SignalKind, signal};

type Res<T> = Result<T, Box<dyn Error + Send + Sync>>;

/// One attempt to connect and get the response headers.
const OPEN_TIMEOUT: Duration = Duration::from_secs(10);
/// Response headers larger than this are refused.
const HEAD_MAX: usize = 16 * 1024;
/// SSE lines and event data longer than this are skipped (alerts are ~200 bytes).
const LINE_MAX: usize = 8 * 1024;
/// File descriptors kept free beyond the connections (runtime, stdio, files).
const FD_SPARE: u64 = 64;

#[tokio::main]
async fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let (mode, rest) = argv
        .split_first()
        .map_or(("", &[][..]), |(m, r)| (m.as_str(), r));
    let run = match Args::parse(rest) {
        Err(e) => Err(e),
        Ok(args) => match mode {
            "listen" => listen(&args).await,
            "publish" => publish(&args).await,
            "report" => report(&args),
            _ => Err(
                "usage: bench_alerts listen|publish|report [--flag value]… (see the module doc)"
                    .into(),
            ),
        },
    };
    match run {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench_alerts {mode}: {e}");
            ExitCode::FAILURE
        }
    }
}

// ---------------------------------------------------------------------------------------
// Arguments

/// `--name value` pairs and positional arguments.
struct Args {
    flags: HashMap<String, String>,
    positional: Vec<String>,
}

impl Args {
    fn parse(argv: &[String]) -> Res<Args> {
        let mut flags = HashMap::new();
        let mut positional = Vec::new();
        let mut it = argv.iter();
        while let Some(a) = it.next() {
            if let Some(name) = a.strip_prefix("--") {
                let value = it.next().ok_or_else(|| format!("--{name} needs a value"))?;
                flags.insert(name.to_owned(), value.clone());
            } else {
                positional.push(a.clone());
            }
        }
        Ok(Args { flags, positional })
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.flags.get(name).map(String::as_str)
    }

    fn req(&self, name: &str) -> Res<&str> {
        self.get(name)
            .ok_or_else(|| format!("--{name} is required").into())
    }

    fn num<T: std::str::FromStr>(&self, name: &str, default: T) -> Res<T> {
        match self.get(name) {
            None => Ok(default),
            Some(v) => v
                .parse()
                .map_err(|_| format!("--{name}: not a number: {v}").into()),
        }
    }
}

/// `http://host:port[/…]` → the `host:port` to put in `Host` and the address to dial.
async fn target(url: &str) -> Res<(String, SocketAddr)> {
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| format!("only http:// URLs: {url}"))?;
    let authority = rest.split('/').next().unwrap_or(rest).to_owned();
    let dial = if authority.contains(':') {
        authority.clone()
    } else {
        format!("{authority}:80")
    };
    let addr = tokio::net::lookup_host(&dial)
        .await?
        .next()
        .ok_or_else(|| format!("{dial} does not resolve"))?;
    Ok((authority, addr))
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

fn rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

// ---------------------------------------------------------------------------------------
// HTTP/1.1 by hand

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// What the tool needs from response headers.
struct Head {
    status: u16,
    chunked: bool,
    /// `name=value` of each `Set-Cookie`.
    cookies: Vec<String>,
}

fn parse_head(raw: &[u8]) -> Res<Head> {
    let text = std::str::from_utf8(raw)?;
    let mut lines = text.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("bad status line: {status_line}"))?;
    let mut head = Head {
        status,
        chunked: false,
        cookies: Vec::new(),
    };
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let (name, value) = (name.trim(), value.trim());
        if name.eq_ignore_ascii_case("transfer-encoding") {
            head.chunked = value.to_ascii_lowercase().contains("chunked");
        } else if name.eq_ignore_ascii_case("set-cookie") {
            let pair = value.split(';').next().unwrap_or(value).trim();
            head.cookies.push(pair.to_owned());
        }
    }
    Ok(head)
}

#[derive(Clone, Copy)]
enum Chunk {
    /// Reading the hex size (so far).
    Size(usize),
    /// Skipping a chunk extension up to the end of the size line.
    Ext(usize),
    /// Inside a chunk's data, this much left.
    Data(usize),
    /// Skipping the CRLF after a chunk's data.
    DataEnd,
    /// The last (empty) chunk was read.
    Done,
}

/// Undoes `Transfer-Encoding: chunked` as bytes arrive, in any split; passes other
/// bodies through.
struct Body {
    chunked: bool,
    state: Chunk,
}

impl Body {
    fn new(chunked: bool) -> Body {
        Body {
            chunked,
            state: Chunk::Size(0),
        }
    }

    /// The next piece of body data in `input`, which it advances past; `None` when
    /// `input` is used up (or the body ended).
    fn next<'a>(&mut self, input: &mut &'a [u8]) -> Option<&'a [u8]> {
        if !self.chunked {
            return (!input.is_empty()).then(|| std::mem::take(input));
        }
        loop {
            match self.state {
                Chunk::Done => return None,
                Chunk::Data(left) => {
                    if input.is_empty() {
                        return None;
                    }
                    let (data, rest) = input.split_at(left.min(input.len()));
                    *input = rest;
                    self.state = if data.len() == left {
                        Chunk::DataEnd
                    } else {
                        Chunk::Data(left - data.len())
                    };
                    return Some(data);
                }
                state => {
                    let (&b, rest) = input.split_first()?;
                    *input = rest;
                    self.state = match (state, b) {
                        (Chunk::DataEnd, b'\n') => Chunk::Size(0),
                        (Chunk::Size(0) | Chunk::Ext(0), b'\n') => Chunk::Done,
                        (Chunk::Size(n) | Chunk::Ext(n), b'\n') => Chunk::Data(n),
                        (Chunk::Size(n), b';') => Chunk::Ext(n),
                        (Chunk::Size(n), b) if b.is_ascii_hexdigit() => {
                            let digit = char::from(b).to_digit(16).unwrap_or(0) as usize;
                            Chunk::Size(n.saturating_mul(16).saturating_add(digit))
                        }
                        (s, _) => s,
                    };
                }
            }
        }
    }

    fn ended(&self) -> bool {
        matches!(self.state, Chunk::Done)
    }
}

/// A finished request: status, cookies set, body (de-chunked).
struct Reply {
    status: u16,
    cookies: Vec<String>,
    body: Vec<u8>,
}

/// One request on a fresh connection (`Connection: close`); no `Origin`, which the
/// server compares with `Host`.
async fn request(
    host: &str,
    addr: SocketAddr,
    path: &str,
    content_type: &str,
    body: &[u8],
    cookie: Option<&str>,
) -> Res<Reply> {
    let mut head = format!(
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nAccept: application/json\r\n\
         Content-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    if let Some(c) = cookie {
        head.push_str("Cookie: ");
        head.push_str(c);
        head.push_str("\r\n");
    }
    head.push_str("\r\n");
    let exchange = async {
        let mut stream = TcpStream::connect(addr).await?;
        stream.write_all(head.as_bytes()).await?;
        stream.write_all(body).await?;
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).await?;
        Ok::<_, std::io::Error>(raw)
    };
    let raw = tokio::time::timeout(Duration::from_secs(60), exchange)
        .await
        .map_err(|_| format!("{path}: no answer in 60 s"))??;
    let end = find(&raw, b"\r\n\r\n").ok_or_else(|| format!("{path}: no response headers"))?;
    let head = parse_head(&raw[..end])?;
    let mut input = &raw[end + 4..];
    let mut decoder = Body::new(head.chunked);
    let mut body = Vec::new();
    while let Some(data) = decoder.next(&mut input) {
        body.extend_from_slice(data);
    }
    Ok(Reply {
        status: head.status,
        cookies: head.cookies,
        body,
    })
}

// ---------------------------------------------------------------------------------------
// Server-sent events

/// The fields of an alert event the benchmark reads.
#[derive(Deserialize)]
struct LiveAlert {
    id: i64,
    sent_at: i64,
}

/// One connection's event-stream parser: body decoding, SSE lines, alerts seen.
struct Events {
    body: Body,
    line: Vec<u8>,
    /// The current line outgrew `LINE_MAX`: skipped.
    overlong: bool,
    /// The current event is `event: alert`.
    alert: bool,
    data: Vec<u8>,
    /// Alert ids this connection has seen (a few).
    seen: Vec<i64>,
    /// Alerts seen for the first time in the last `feed`: (id, sent_at).
    fresh: Vec<(i64, i64)>,
}

impl Events {
    fn new(chunked: bool) -> Events {
        Events {
            body: Body::new(chunked),
            line: Vec::new(),
            overlong: false,
            alert: false,
            data: Vec::new(),
            seen: Vec::new(),
            fresh: Vec::new(),
        }
    }

    fn feed(&mut self, mut input: &[u8]) {
        while let Some(data) = self.body.next(&mut input) {
            for &b in data {
                if b == b'\n' {
                    self.end_line();
                } else if self.line.len() < LINE_MAX {
                    self.line.push(b);
                } else {
                    self.overlong = true;
                }
            }
        }
    }

    fn end_line(&mut self) {
        let mut line = self.line.as_slice();
        if let Some(l) = line.strip_suffix(b"\r") {
            line = l;
        }
        if self.overlong {
            self.overlong = false;
        } else if line.is_empty() {
            self.dispatch();
        } else if let Some(v) = field(line, b"event") {
            self.alert = v == b"alert";
        } else if let Some(v) = field(line, b"data")
            && self.data.len() + v.len() < LINE_MAX
        {
            if !self.data.is_empty() {
                self.data.push(b'\n');
            }
            self.data.extend_from_slice(v);
        }
        // Comments (`:`), `id:` and `retry:` need nothing.
        self.line.clear();
    }

    fn dispatch(&mut self) {
        if self.alert
            && let Ok(a) = serde_json::from_slice::<LiveAlert>(&self.data)
            && !self.seen.contains(&a.id)
        {
            self.seen.push(a.id);
            self.fresh.push((a.id, a.sent_at));
        }
        self.alert = false;
        self.data.clear();
    }
}

/// The value of an SSE field line `name: value` (one space after the colon dropped).
fn field<'a>(line: &'a [u8], name: &[u8]) -> Option<&'a [u8]> {
    let v = line.strip_prefix(name)?.strip_prefix(b":")?;
    Some(v.strip_prefix(b" ").unwrap_or(v))
}

// ---------------------------------------------------------------------------------------
// listen

/// Counters and latencies shared by a listener's connection tasks.
#[derive(Default)]
struct Shared {
    opened: AtomicUsize,
    failed: AtomicUsize,
    /// Opened, then ended by the server before seeing every expected alert.
    closed_early: AtomicUsize,
    /// Saw `expect` distinct alerts.
    complete: AtomicUsize,
    /// Per alert id: latency in ms → connections.
    latencies: Mutex<BTreeMap<i64, BTreeMap<u64, usize>>>,
    /// Why connections failed (last error of each), and how many.
    errors: Mutex<BTreeMap<String, usize>>,
}

/// What one listener writes.
#[derive(Serialize, Deserialize)]
struct ListenReport {
    url: String,
    sources: Vec<String>,
    connections: usize,
    opened: usize,
    failed: usize,
    closed_early: usize,
    /// Connections that saw all `expect` alerts.
    complete: usize,
    expect: usize,
    /// Ended by the timeout or a signal before every connection was complete.
    timed_out: bool,
    /// From start to every connection open (or failed).
    connect_ms: u64,
    /// The listener's own memory with every connection open.
    listener_rss_kb: Option<u64>,
    errors: BTreeMap<String, usize>,
    alerts: Vec<AlertReport>,
}

#[derive(Serialize, Deserialize)]
struct AlertReport {
    id: i64,
    /// Connections that received it.
    received: usize,
    p50_ms: u64,
    p99_ms: u64,
    max_ms: u64,
    /// `[latency ms, connections]`, ascending: lets `report` merge listeners exactly.
    histogram: Vec<(u64, usize)>,
}

/// Nearest-rank percentile (`p` in 0..=1) of an ascending histogram.
fn percentile(hist: &[(u64, usize)], p: f64) -> u64 {
    let total: usize = hist.iter().map(|&(_, n)| n).sum();
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )]
    let rank = ((p * total as f64).ceil() as usize).max(1);
    let mut seen = 0;
    for &(ms, n) in hist {
        seen += n;
        if seen >= rank {
            return ms;
        }
    }
    hist.last().map_or(0, |&(ms, _)| ms)
}

fn alert_report(id: i64, histogram: Vec<(u64, usize)>) -> AlertReport {
    AlertReport {
        id,
        received: histogram.iter().map(|&(_, n)| n).sum(),
        p50_ms: percentile(&histogram, 0.50),
        p99_ms: percentile(&histogram, 0.99),
        max_ms: histogram.last().map_or(0, |&(ms, _)| ms),
        histogram,
    }
}

/// Sets the soft open-file limit to the hard one; fails if `connections` cannot fit.
fn raise_fd_limit(connections: usize) -> Res<()> {
    let limit = rlimit::increase_nofile_limit(u64::MAX)?;
    let need = connections as u64 + FD_SPARE;
    if limit < need {
        return Err(format!("open-file limit {limit} is below the {need} this needs").into());
    }
    Ok(())
}

async fn listen(args: &Args) -> Res<()> {
    let url = args.req("url")?;
    let connections: usize = args.num("connections", 1000)?;
    let expect: usize = args.num("expect", 3)?;
    let timeout = Duration::from_secs(args.num("timeout-s", 60)?);
    let concurrency: usize = args.num("concurrency", 500)?;
    let retries: u32 = args.num("retries", 5)?;
    let sources: Vec<IpAddr> = match args.get("sources") {
        None | Some("") => Vec::new(),
        Some(list) => list
            .split(',')
            .map(|s| {
                s.trim()
                    .parse()
                    .map_err(|_| format!("--sources: bad address {s}"))
            })
            .collect::<Result<_, _>>()?,
    };
    raise_fd_limit(connections)?;
    let (host, addr) = target(url).await?;
    let request: Arc<[u8]> = format!(
        "GET /api/events HTTP/1.1\r\nHost: {host}\r\nAccept: text/event-stream\r\n\
         Cache-Control: no-cache\r\n\r\n"
    )
    .into_bytes()
    .into();
    let shared = Arc::new(Shared::default());
    let next = Arc::new(AtomicUsize::new(0));
    let sources: Arc<[IpAddr]> = sources.into();

    // Openers: each takes the next connection number, opens it (with retries), hands it
    // to its own reading task, and goes on; so at most `concurrency` connect at once.
    let start = Instant::now();
    for _ in 0..concurrency.clamp(1, connections.max(1)) {
        let (shared, next, sources, request) = (
            shared.clone(),
            next.clone(),
            sources.clone(),
            request.clone(),
        );
        tokio::spawn(async move {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= connections {
                    break;
                }
                let source = (!sources.is_empty()).then(|| sources[i % sources.len()]);
                match open(addr, source, &request, retries).await {
                    Ok((stream, rest, chunked)) => {
                        shared.opened.fetch_add(1, Ordering::Relaxed);
                        tokio::spawn(read_events(stream, rest, chunked, expect, shared.clone()));
                    }
                    Err(e) => {
                        shared.failed.fetch_add(1, Ordering::Relaxed);
                        let mut errors =
                            shared.errors.lock().unwrap_or_else(PoisonError::into_inner);
                        *errors.entry(e.to_string()).or_default() += 1;
                    }
                }
            }
        });
    }
    let mut tick = tokio::time::interval(Duration::from_millis(50));
    while shared.opened.load(Ordering::Relaxed) + shared.failed.load(Ordering::Relaxed)
        < connections
    {
        tick.tick().await;
    }
    let connect_ms = u64::try_from(start.elapsed().as_millis()).unwrap_or(u64::MAX);
    let (opened, failed) = (
        shared.opened.load(Ordering::Relaxed),
        shared.failed.load(Ordering::Relaxed),
    );
    let listener_rss_kb = rss_kb();
    eprintln!(
        "listen {url}: {opened} open, {failed} failed in {connect_ms} ms; own RSS {} kB",
        listener_rss_kb.unwrap_or(0)
    );
    if let Some(path) = args.get("ready-file") {
        let tmp = format!("{path}.tmp");
        std::fs::write(
            &tmp,
            serde_json::json!({"opened": opened, "failed": failed, "connect_ms": connect_ms})
                .to_string(),
        )?;
        std::fs::rename(&tmp, path)?;
    }

    // Wait until every open connection has seen the alerts (or was closed), the
    // deadline passes, or the script asks to stop.
    let deadline = tokio::time::Instant::now() + timeout;
    let mut term = signal(SignalKind::terminate())?;
    let mut int = signal(SignalKind::interrupt())?;
    let settled = loop {
        let done =
            shared.complete.load(Ordering::Relaxed) + shared.closed_early.load(Ordering::Relaxed);
        if done >= opened {
            break true;
        }
        tokio::select! {
            _ = tick.tick() => {}
            _ = tokio::time::sleep_until(deadline) => break false,
            _ = term.recv() => break false,
            _ = int.recv() => break false,
        }
    };

    let alerts = {
        let latencies = shared
            .latencies
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        latencies
            .iter()
            .map(|(&id, hist)| alert_report(id, hist.iter().map(|(&ms, &n)| (ms, n)).collect()))
            .collect()
    };
    let report = ListenReport {
        url: url.to_owned(),
        sources: sources.iter().map(ToString::to_string).collect(),
        connections,
        opened,
        failed,
        closed_early: shared.closed_early.load(Ordering::Relaxed),
        complete: shared.complete.load(Ordering::Relaxed),
        expect,
        timed_out: !settled,
        connect_ms,
        listener_rss_kb,
        errors: std::mem::take(&mut *shared.errors.lock().unwrap_or_else(PoisonError::into_inner)),
        alerts,
    };
    for a in &report.alerts {
        eprintln!(
            "listen {url}: alert {}: {} received, p50 {} ms, p99 {} ms, max {} ms",
            a.id, a.received, a.p50_ms, a.p99_ms, a.max_ms
        );
    }
    let json = serde_json::to_string(&report)?;
    match args.get("out") {
        Some(path) => std::fs::write(path, json)?,
        None => println!("{json}"),
    }
    Ok(())
}

/// Opens one event stream: connects from `source` and reads the response headers.
/// Answers the stream, body bytes read past the headers, and whether it is chunked.
async fn open(
    addr: SocketAddr,
    source: Option<IpAddr>,
    request: &[u8],
    retries: u32,
) -> Res<(TcpStream, Vec<u8>, bool)> {
    let mut attempt = 0;
    loop {
        let err = match tokio::time::timeout(OPEN_TIMEOUT, open_once(addr, source, request)).await {
            Ok(Ok(opened)) => return Ok(opened),
            Ok(Err(e)) => e,
            Err(_) => "no response headers in 10 s".into(),
        };
        if attempt >= retries {
            return Err(err);
        }
        attempt += 1;
        tokio::time::sleep(Duration::from_millis(200 * u64::from(attempt))).await;
    }
}

async fn open_once(
    addr: SocketAddr,
    source: Option<IpAddr>,
    request: &[u8],
) -> Res<(TcpStream, Vec<u8>, bool)> {
    let socket = if addr.is_ipv4() {
        TcpSocket::new_v4()?
    } else {
        TcpSocket::new_v6()?
    };
    if let Some(ip) = source {
        socket.bind(SocketAddr::new(ip, 0))?;
    }
    let mut stream = socket.connect(addr).await?;
    stream.write_all(request).await?;
    let mut head = Vec::with_capacity(512);
    let mut buf = [0u8; 512];
    loop {
        let n = stream.read(&mut buf).await?;
        if n == 0 {
            return Err("closed before the response headers".into());
        }
        head.extend_from_slice(&buf[..n]);
        if let Some(end) = find(&head, b"\r\n\r\n") {
            let parsed = parse_head(&head[..end])?;
            if parsed.status != 200 {
                return Err(format!("HTTP {}", parsed.status).into());
            }
            return Ok((stream, head[end + 4..].to_vec(), parsed.chunked));
        }
        if head.len() > HEAD_MAX {
            return Err("response headers too long".into());
        }
    }
}

/// Reads one open stream until it ends, recording each alert's latency on arrival.
async fn read_events(
    mut stream: TcpStream,
    rest: Vec<u8>,
    chunked: bool,
    expect: usize,
    shared: Arc<Shared>,
) {
    let mut events = Events::new(chunked);
    let mut complete = false;
    events.feed(&rest);
    drop(rest);
    record(&mut events, now_ms(), expect, &mut complete, &shared);
    let mut buf = vec![0u8; 1024];
    while !events.body.ended() {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                let now = now_ms();
                events.feed(&buf[..n]);
                record(&mut events, now, expect, &mut complete, &shared);
            }
        }
    }
    if !complete {
        shared.closed_early.fetch_add(1, Ordering::Relaxed);
    }
}

/// Moves the alerts a connection just saw into the shared latencies.
fn record(events: &mut Events, now: i64, expect: usize, complete: &mut bool, shared: &Shared) {
    if events.fresh.is_empty() {
        return;
    }
    let mut latencies = shared
        .latencies
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    for (id, sent_at) in events.fresh.drain(..) {
        let ms = u64::try_from(now - sent_at).unwrap_or(0);
        *latencies.entry(id).or_default().entry(ms).or_default() += 1;
    }
    drop(latencies);
    if !*complete && events.seen.len() >= expect {
        *complete = true;
        shared.complete.fetch_add(1, Ordering::Relaxed);
    }
}

// ---------------------------------------------------------------------------------------
// publish

/// `application/x-www-form-urlencoded` escaping.
fn form_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._*".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

async fn publish(args: &Args) -> Res<()> {
    let (host, addr) = target(args.req("url")?).await?;
    let count: u32 = args.num("count", 3)?;
    let gap = Duration::from_millis(args.num("gap-ms", 2000)?);
    let form = format!(
        "phone={}&password={}",
        form_escape(args.req("phone")?),
        form_escape(args.req("password")?)
    );
    let login = request(
        &host,
        addr,
        "/api/auth/login",
        "application/x-www-form-urlencoded",
        form.as_bytes(),
        None,
    )
    .await?;
    if login.status != 200 || login.cookies.is_empty() {
        return Err(format!(
            "sign-in answered HTTP {} with {} cookie(s): {}",
            login.status,
            login.cookies.len(),
            String::from_utf8_lossy(&login.body)
        )
        .into());
    }
    let cookie = login.cookies.join("; ");
    for k in 1..=count {
        if k > 1 {
            tokio::time::sleep(gap).await;
        }
        let title = format!("压力测试预警 {k}");
        let body = serde_json::json!({"input": {
            "title": title,
            "body": "负载测试，请忽略。",
            "category": "Met",
            "urgency": "Expected",
            "severity": "Severe",
            "certainty": "Likely",
            "expires_in_min": 60,
            "targets": [],
            "follow_up_after_min": 10,
        }})
        .to_string();
        let started = Instant::now();
        let reply = request(
            &host,
            addr,
            "/api/alert/publish",
            "application/json",
            body.as_bytes(),
            Some(&cookie),
        )
        .await?;
        let text = String::from_utf8_lossy(&reply.body);
        if reply.status != 200 {
            return Err(format!("publishing answered HTTP {}: {text}", reply.status).into());
        }
        let id = serde_json::from_slice::<serde_json::Value>(&reply.body)?
            .get("id")
            .and_then(serde_json::Value::as_i64)
            .ok_or_else(|| format!("no alert id in {text}"))?;
        eprintln!(
            "published alert {id} ({title}) in {} ms",
            started.elapsed().as_millis()
        );
        println!("{id}");
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// report

fn report(args: &Args) -> Res<()> {
    let budget: u64 = args.num("budget-ms", 1000)?;
    if args.positional.is_empty() {
        return Err("report needs listener JSON files".into());
    }
    let mut listeners = Vec::new();
    for path in &args.positional {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
        let r: ListenReport = serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))?;
        listeners.push(r);
    }
    let sum = |f: fn(&ListenReport) -> usize| listeners.iter().map(f).sum::<usize>();
    let opened = sum(|r| r.opened);
    println!(
        "| listener | sources | connections | opened | failed | closed early | saw all alerts | connect time | listener RSS |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|---:|---:|");
    for r in &listeners {
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | {:.1} s | {:.1} MB |",
            r.url,
            r.sources.join(" "),
            r.connections,
            r.opened,
            r.failed,
            r.closed_early,
            r.complete,
            r.connect_ms as f64 / 1000.0,
            r.listener_rss_kb.unwrap_or(0) as f64 / 1024.0
        );
    }
    println!(
        "| **total** | | **{}** | **{opened}** | **{}** | **{}** | **{}** | | |",
        sum(|r| r.connections),
        sum(|r| r.failed),
        sum(|r| r.closed_early),
        sum(|r| r.complete)
    );
    println!();

    // Per alert: histograms merged over listeners; also the worst listener's p99.
    let mut merged: BTreeMap<i64, (BTreeMap<u64, usize>, u64)> = BTreeMap::new();
    for r in &listeners {
        for a in &r.alerts {
            let (hist, worst) = merged.entry(a.id).or_default();
            for &(ms, n) in &a.histogram {
                *hist.entry(ms).or_default() += n;
            }
            *worst = (*worst).max(a.p99_ms);
        }
    }
    println!(
        "| alert | received | of opened | p50 | p99 | max | worst listener p99 | p99 / {budget} ms budget |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    let mut worst_p99 = 0;
    for (id, (hist, worst)) in merged {
        let a = alert_report(id, hist.into_iter().collect());
        worst_p99 = worst_p99.max(a.p99_ms);
        println!(
            "| {id} | {} | {:.2} % | {} ms | {} ms | {} ms | {worst} ms | {:.3} |",
            a.received,
            100.0 * a.received as f64 / opened.max(1) as f64,
            a.p50_ms,
            a.p99_ms,
            a.max_ms,
            a.p99_ms as f64 / budget as f64
        );
    }
    println!();
    println!(
        "Worst p99 over all alerts: {worst_p99} ms — ratio to the {budget} ms budget: {:.3}",
        worst_p99 as f64 / budget as f64
    );
    for r in listeners
        .iter()
        .filter(|r| r.timed_out || !r.errors.is_empty())
    {
        eprintln!(
            "warning: {}: timed out: {}, connect errors: {:?}",
            r.url, r.timed_out, r.errors
        );
    }
    Ok(())
}
