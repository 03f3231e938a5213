//! Running one command over many inputs: from the arguments, or from standard input in large
//! chunks processed by worker threads, with output kept in input order.
//!
//! Every worker owns its output, error and scratch buffers and reuses them from chunk to chunk,
//! so a million-line batch makes no per-line allocations beyond what the command itself needs.

use std::fmt;
use std::io::{self, Read, Write};
use std::thread;

use super::error::InputError;

/// Where an input came from, for error messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// A command-line argument.
    Argument,
    /// A line of standard input (1-based).
    Line(u64),
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Argument => Ok(()),
            Location::Line(n) => write!(f, "line {n}: "),
        }
    }
}

/// How processing one input went, besides what it wrote.
#[derive(Debug)]
pub enum Failure {
    /// The input is bad: report the error on standard error.
    Error(InputError),
    /// The input is bad and the command already said so in its output (`check`).
    Reported,
}

impl From<InputError> for Failure {
    fn from(e: InputError) -> Self {
        Failure::Error(e)
    }
}

macro_rules! failure_from {
    ($($t:ty),*) => {$(
        impl From<$t> for Failure {
            fn from(e: $t) -> Self {
                Failure::Error(InputError::from(e))
            }
        }
    )*};
}
failure_from!(
    btcaddr::DecodeError,
    btcaddr::ConversionError,
    btcaddr::EncodeError
);

/// Buffers a worker reuses across inputs.
#[derive(Debug)]
pub struct Scratch {
    /// Room for any decoded script (10,000 bytes, the consensus limit).
    pub script: Box<[u8]>,
    /// Bytes parsed from hex input.
    pub hex_bytes: Vec<u8>,
}

impl Default for Scratch {
    fn default() -> Self {
        Scratch {
            script: vec![0; btcaddr::length::MAX_SCRIPT_LEN].into_boxed_slice(),
            hex_bytes: Vec::new(),
        }
    }
}

/// One command applied to one input at a time.
pub trait Processor: Sync {
    /// Processes `input`, appending its output lines (each ending in `\n`) to `out`.
    fn process(
        &self,
        input: &str,
        at: Location,
        out: &mut Vec<u8>,
        scratch: &mut Scratch,
    ) -> Result<(), Failure>;
}

/// What a batch did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    /// Inputs processed.
    pub inputs: u64,
    /// Inputs that failed.
    pub failed: u64,
}

/// A worker's buffers.
#[derive(Debug, Default)]
struct Worker {
    out: Vec<u8>,
    err: Vec<u8>,
    scratch: Scratch,
    summary: Summary,
}

impl Worker {
    fn run_one<P: Processor + ?Sized>(&mut self, p: &P, input: &str, at: Location) {
        self.summary.inputs += 1;
        let mark = self.out.len();
        match p.process(input, at, &mut self.out, &mut self.scratch) {
            Ok(()) => {}
            Err(failure) => {
                self.summary.failed += 1;
                if let Failure::Error(e) = failure {
                    // Drop any partial output so the output has only lines of good inputs.
                    self.out.truncate(mark);
                    let _ = writeln!(self.err, "btcaddr: {at}{}: {e}", Shown(input));
                }
            }
        }
    }

    /// Processes whole lines of `text`, the first being line `first_line`.
    fn run_lines<P: Processor + ?Sized>(&mut self, p: &P, text: &[u8], first_line: u64) {
        // Validating the whole chunk at once is much faster than token by token; only a chunk
        // with a bad byte falls back to the slow path, which pins the error to its token.
        if let Ok(text) = std::str::from_utf8(text) {
            for (line_no, line) in (first_line..).zip(text.split('\n')) {
                for input in line.split_ascii_whitespace() {
                    self.run_one(p, input, Location::Line(line_no));
                }
            }
            return;
        }
        for (line_no, line) in (first_line..).zip(text.split(|&b| b == b'\n')) {
            for token in line
                .split(u8::is_ascii_whitespace)
                .filter(|t| !t.is_empty())
            {
                let at = Location::Line(line_no);
                match std::str::from_utf8(token) {
                    Ok(input) => self.run_one(p, input, at),
                    Err(_) => {
                        self.summary.inputs += 1;
                        self.summary.failed += 1;
                        let shown = String::from_utf8_lossy(token);
                        let _ = writeln!(
                            self.err,
                            "btcaddr: {at}{}: {}",
                            Shown(&shown),
                            InputError::NotUtf8
                        );
                    }
                }
            }
        }
    }

    fn flush(&mut self, out: &mut impl Write, err: &mut impl Write) -> io::Result<()> {
        out.write_all(&self.out)?;
        self.out.clear();
        if !self.err.is_empty() {
            // Let the good lines before an error reach the terminal before the error does.
            out.flush()?;
            err.write_all(&self.err)?;
            self.err.clear();
        }
        Ok(())
    }
}

/// An input as shown in an error message: cut after 100 characters.
struct Shown<'a>(&'a str);

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const MAX: usize = 100;
        match self.0.char_indices().nth(MAX) {
            Some((cut, _)) => write!(f, "{}…", &self.0[..cut]),
            None => f.write_str(self.0),
        }
    }
}

/// Runs `p` over command-line arguments, writing as it goes.
pub fn run_args<P: Processor + ?Sized>(
    p: &P,
    inputs: &[String],
    out: &mut impl Write,
    err: &mut impl Write,
) -> io::Result<Summary> {
    let mut worker = Worker::default();
    for input in inputs {
        worker.run_one(p, input, Location::Argument);
        worker.flush(out, err)?;
    }
    out.flush()?;
    Ok(worker.summary)
}

/// Bytes read per worker per round when the input is a file; pipes give less per read.
const CHUNK_PER_WORKER: usize = 1 << 20;
/// Below this many bytes a round is processed on the calling thread: spawning costs more.
const PARALLEL_MIN: usize = 64 << 10;

/// Runs `p` over whitespace-separated inputs read from `input`, with `threads` workers.
///
/// Each round does one `read` (so interactive use answers line by line) and processes the whole
/// lines read so far, split among the workers at line ends; outputs are written in order.
pub fn run_reader<P: Processor + ?Sized>(
    p: &P,
    mut input: impl Read,
    threads: usize,
    out: &mut impl Write,
    err: &mut impl Write,
) -> io::Result<Summary> {
    let threads = threads.max(1);
    let mut workers: Vec<Worker> = (0..threads).map(|_| Worker::default()).collect();
    let mut buf: Vec<u8> = Vec::with_capacity(CHUNK_PER_WORKER * threads);
    let mut next_line: u64 = 1;
    loop {
        if buf.len() == buf.capacity() {
            // A line longer than the buffer: make room for more of it.
            buf.reserve(buf.capacity());
        }
        let start = buf.len();
        let want = buf.capacity();
        buf.resize(want, 0);
        let n = match input.read(&mut buf[start..]) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => 0,
            Err(e) => return Err(e),
        };
        buf.truncate(start + n);
        let at_eof = n == 0;
        let complete = if at_eof {
            buf.len()
        } else {
            match buf.iter().rposition(|&b| b == b'\n') {
                Some(i) => i + 1,
                None => continue,
            }
        };
        if complete > 0 {
            next_line = process_round(p, &buf[..complete], next_line, &mut workers);
            for w in &mut workers {
                w.flush(out, err)?;
            }
            out.flush()?;
            buf.drain(..complete);
        }
        if at_eof {
            break;
        }
    }
    let mut summary = Summary::default();
    for w in &workers {
        summary.inputs += w.summary.inputs;
        summary.failed += w.summary.failed;
    }
    Ok(summary)
}

/// Processes `text` (whole lines, the first numbered `first_line`); returns the next line's number.
fn process_round<P: Processor + ?Sized>(
    p: &P,
    text: &[u8],
    first_line: u64,
    workers: &mut [Worker],
) -> u64 {
    let lines_in = |t: &[u8]| t.iter().filter(|&&b| b == b'\n').count() as u64;
    let text_no_last_nl = text.strip_suffix(b"\n").unwrap_or(text);
    let next = first_line + lines_in(text_no_last_nl) + 1;
    if workers.len() == 1 || text.len() < PARALLEL_MIN {
        workers[0].run_lines(p, text_no_last_nl, first_line);
        return next;
    }
    // Split into one piece per worker, each ending at a line end.
    let mut pieces: Vec<(&[u8], u64)> = Vec::with_capacity(workers.len());
    let mut rest = text;
    let mut line = first_line;
    let target = text.len() / workers.len() + 1;
    while !rest.is_empty() {
        let cut = if pieces.len() + 1 == workers.len() || rest.len() <= target {
            rest.len()
        } else {
            match rest[target..].iter().position(|&b| b == b'\n') {
                Some(i) => target + i + 1,
                None => rest.len(),
            }
        };
        let (piece, tail) = rest.split_at(cut);
        pieces.push((piece, line));
        line += lines_in(piece);
        rest = tail;
    }
    thread::scope(|s| {
        for (worker, &(piece, first)) in workers.iter_mut().zip(&pieces) {
            let piece = piece.strip_suffix(b"\n").unwrap_or(piece);
            s.spawn(move || worker.run_lines(p, piece, first));
        }
    });
    next
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Echoes inputs, failing on "bad".
    struct Echo;

    impl Processor for Echo {
        fn process(
            &self,
            input: &str,
            _at: Location,
            out: &mut Vec<u8>,
            _scratch: &mut Scratch,
        ) -> Result<(), Failure> {
            if input == "bad" {
                return Err(Failure::Error(InputError::NotUtf8));
            }
            out.extend_from_slice(input.as_bytes());
            out.push(b'\n');
            Ok(())
        }
    }

    fn run(text: &[u8], threads: usize) -> (String, String, Summary) {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let summary = run_reader(&Echo, text, threads, &mut out, &mut err).unwrap();
        (
            String::from_utf8(out).unwrap(),
            String::from_utf8(err).unwrap(),
            summary,
        )
    }

    #[test]
    fn keeps_order_and_line_numbers_across_workers() {
        let mut text = String::new();
        for i in 0..100_000 {
            if i == 54_321 {
                text.push_str("bad\n");
            } else {
                text.push_str(&format!("w{i} x{i}\r\n"));
            }
        }
        let (out, err, summary) = run(text.as_bytes(), 2);
        let (out1, err1, summary1) = run(text.as_bytes(), 1);
        assert_eq!(
            (out.as_str(), err.as_str(), summary),
            (out1.as_str(), err1.as_str(), summary1)
        );
        assert_eq!(err, "btcaddr: line 54322: bad: not UTF-8 text\n");
        assert_eq!(
            summary,
            Summary {
                inputs: 199_999,
                failed: 1
            }
        );
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], "w0");
        assert_eq!(lines[1], "x0");
        assert_eq!(lines.last(), Some(&"x99999"));
    }

    #[test]
    fn last_line_without_newline_and_blank_lines() {
        let (out, err, summary) = run(b"\n a b \n\nbad\nc", 2);
        assert_eq!(out, "a\nb\nc\n");
        assert_eq!(err, "btcaddr: line 4: bad: not UTF-8 text\n");
        assert_eq!(summary.inputs, 4);
    }

    #[test]
    fn invalid_utf8_is_reported_with_its_line() {
        let (out, err, _) = run(b"a\n\xff\xfe\nb\n", 1);
        assert_eq!(out, "a\nb\n");
        assert!(err.starts_with("btcaddr: line 2: "), "{err}");
    }
}
