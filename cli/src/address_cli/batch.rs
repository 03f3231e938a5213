//! Running one command over many inputs: from the arguments, or from standard input in large
//! chunks processed by worker threads, with output kept in input order.
//!
//! Buffers (input chunks, outputs, scratch space) are reused from chunk to chunk, so a
//! million-line batch makes no per-line allocations beyond what the command itself needs.

use std::collections::BTreeMap;
use std::fmt;
use std::io::{self, Read, Write};
use std::sync::{mpsc, Arc, Mutex};
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

/// The output of a run of inputs: lines for standard output, error lines, counts.
#[derive(Debug, Default)]
struct Output {
    out: Vec<u8>,
    err: Vec<u8>,
    summary: Summary,
}

impl Output {
    fn run_one<P: Processor + ?Sized>(
        &mut self,
        p: &P,
        input: &str,
        at: Location,
        scratch: &mut Scratch,
    ) {
        self.summary.inputs += 1;
        let mark = self.out.len();
        if let Err(failure) = p.process(input, at, &mut self.out, scratch) {
            self.summary.failed += 1;
            if let Failure::Error(e) = failure {
                // Drop any partial output so the output has only lines of good inputs.
                self.out.truncate(mark);
                self.write_error(at, input, &e);
            }
        }
    }

    /// Writes the `btcaddr: line N: INPUT: ERROR` line of a failed input.
    fn write_error(&mut self, at: Location, input: &str, e: &InputError) {
        let _ = writeln!(self.err, "btcaddr: {at}{}: {e}", Shown(input));
    }

    /// Processes whole lines of `text`, the first being line `first_line`; a final newline
    /// leaves an empty last line, which holds no input.
    fn run_lines<P: Processor + ?Sized>(
        &mut self,
        p: &P,
        text: &[u8],
        first_line: u64,
        scratch: &mut Scratch,
    ) {
        // Validating the whole chunk at once is much faster than token by token; only a chunk
        // with a bad byte falls back to the slow path, which pins the error to its token.
        if let Ok(text) = std::str::from_utf8(text) {
            for (line_no, line) in (first_line..).zip(text.split('\n')) {
                for input in line.split_ascii_whitespace() {
                    self.run_one(p, input, Location::Line(line_no), scratch);
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
                    Ok(input) => self.run_one(p, input, at, scratch),
                    Err(_) => {
                        self.summary.inputs += 1;
                        self.summary.failed += 1;
                        let shown = String::from_utf8_lossy(token);
                        self.write_error(at, &shown, &InputError::NotUtf8);
                    }
                }
            }
        }
    }

    /// Writes and clears the buffers, adding the counts to `total`.
    fn flush(
        &mut self,
        out: &mut impl Write,
        err: &mut impl Write,
        total: &mut Summary,
    ) -> io::Result<()> {
        out.write_all(&self.out)?;
        self.out.clear();
        if !self.err.is_empty() {
            // Let the good lines before an error reach the terminal before the error does.
            out.flush()?;
            err.write_all(&self.err)?;
            self.err.clear();
        }
        total.inputs += self.summary.inputs;
        total.failed += self.summary.failed;
        self.summary = Summary::default();
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
    let mut output = Output::default();
    let mut scratch = Scratch::default();
    let mut total = Summary::default();
    for input in inputs {
        output.run_one(p, input, Location::Argument, &mut scratch);
        output.flush(out, err, &mut total)?;
    }
    out.flush()?;
    Ok(total)
}

/// Bytes per read, and so at most per job: big enough to amortise the hand-offs between
/// threads, small enough that both cores stay busy and memory stays small.
const JOB_BYTES: usize = 256 << 10;

/// Whole lines of input for a worker, numbered in reading order.
struct Job {
    seq: u64,
    first_line: u64,
    text: Vec<u8>,
}

/// A worker's result, handed to the writer with the job's buffer for reuse.
struct Done {
    seq: u64,
    text: Vec<u8>,
    output: Output,
}

/// Reads one chunk of at most [`JOB_BYTES`] into `text` (after what it holds); returns the
/// number of bytes read, 0 at the end.
fn read_chunk(input: &mut impl Read, text: &mut Vec<u8>) -> io::Result<usize> {
    let start = text.len();
    text.resize(start + JOB_BYTES, 0);
    let result = loop {
        match input.read(&mut text[start..]) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            other => break other,
        }
    };
    text.truncate(start + *result.as_ref().unwrap_or(&0));
    result.map_err(|e| io::Error::new(e.kind(), format!("reading standard input: {e}")))
}

fn count_newlines(text: &[u8]) -> u64 {
    text.iter().filter(|&&b| b == b'\n').count() as u64
}

/// Runs `p` over whitespace-separated inputs read from `input`, with `threads` workers, writing
/// the outputs in input order.
///
/// Each read (one `read` call, so interactive use answers line by line) becomes a job of whole
/// lines. With more than one thread a reader thread, the workers and the writer (this thread)
/// run as a pipeline, so reading and writing overlap the work and a worker that the scheduler
/// pauses does not stall the others.
pub fn run_reader<P: Processor + ?Sized>(
    p: &P,
    mut input: impl Read + Send,
    threads: usize,
    out: &mut impl Write,
    err: &mut impl Write,
) -> io::Result<Summary> {
    if threads <= 1 {
        return run_serial(p, &mut input, out, err);
    }
    thread::scope(|s| {
        let (job_tx, job_rx) = mpsc::sync_channel::<Job>(threads * 2);
        let (done_tx, done_rx) = mpsc::sync_channel::<Done>(threads * 2);
        let (free_text_tx, free_text_rx) = mpsc::channel::<Vec<u8>>();
        let (free_output_tx, free_output_rx) = mpsc::channel::<Output>();
        // Shared by the workers only: when they all stop, the reader's sends fail and it stops.
        let job_rx = Arc::new(Mutex::new(job_rx));
        let free_output_rx = Arc::new(Mutex::new(free_output_rx));

        let reader = s.spawn(move || -> io::Result<()> {
            let mut carry: Vec<u8> = Vec::new();
            let mut seq = 0;
            let mut next_line = 1;
            loop {
                let mut text = free_text_rx.try_recv().unwrap_or_default();
                text.clear();
                text.append(&mut carry);
                let at_eof = read_chunk(&mut input, &mut text)? == 0;
                if !at_eof {
                    match text.iter().rposition(|&b| b == b'\n') {
                        Some(i) => carry.extend_from_slice(&text[i + 1..]),
                        None => {
                            // Only part of a line so far: read on.
                            carry = text;
                            continue;
                        }
                    }
                    text.truncate(text.len() - carry.len());
                }
                if !text.is_empty() {
                    let lines = count_newlines(&text);
                    let job = Job {
                        seq,
                        first_line: next_line,
                        text,
                    };
                    if job_tx.send(job).is_err() {
                        // The writer stopped (e.g. a closed pipe); it reports why.
                        return Ok(());
                    }
                    seq += 1;
                    next_line += lines;
                }
                if at_eof {
                    return Ok(());
                }
            }
        });

        for _ in 0..threads {
            let job_rx = Arc::clone(&job_rx);
            let free_output_rx = Arc::clone(&free_output_rx);
            let done_tx = done_tx.clone();
            s.spawn(move || {
                let mut scratch = Scratch::default();
                loop {
                    let job = match job_rx.lock() {
                        Ok(rx) => rx.recv(),
                        Err(_) => return,
                    };
                    let Ok(job) = job else { return };
                    let mut output = free_output_rx
                        .lock()
                        .ok()
                        .and_then(|rx| rx.try_recv().ok())
                        .unwrap_or_default();
                    output.run_lines(p, &job.text, job.first_line, &mut scratch);
                    let done = Done {
                        seq: job.seq,
                        text: job.text,
                        output,
                    };
                    if done_tx.send(done).is_err() {
                        return;
                    }
                }
            });
        }
        drop((job_rx, free_output_rx, done_tx));

        // The writer: results in sequence order, buffers back to the reader and workers.
        let mut total = Summary::default();
        let mut pending: BTreeMap<u64, Done> = BTreeMap::new();
        let mut next_seq = 0;
        for done in done_rx {
            pending.insert(done.seq, done);
            while let Some(mut done) = pending.remove(&next_seq) {
                done.output.flush(out, err, &mut total)?;
                let _ = free_text_tx.send(done.text);
                let _ = free_output_tx.send(done.output);
                next_seq += 1;
            }
            if pending.is_empty() {
                out.flush()?;
            }
        }
        out.flush()?;
        reader
            .join()
            .map_err(|_| io::Error::other("the input reader thread panicked"))??;
        Ok(total)
    })
}

/// The one-thread path: read, process, write, in turn.
fn run_serial<P: Processor + ?Sized>(
    p: &P,
    input: &mut impl Read,
    out: &mut impl Write,
    err: &mut impl Write,
) -> io::Result<Summary> {
    let mut output = Output::default();
    let mut scratch = Scratch::default();
    let mut total = Summary::default();
    let mut text: Vec<u8> = Vec::new();
    let mut next_line = 1;
    loop {
        let at_eof = read_chunk(input, &mut text)? == 0;
        let complete = if at_eof {
            text.len()
        } else {
            match text.iter().rposition(|&b| b == b'\n') {
                Some(i) => i + 1,
                None => continue,
            }
        };
        let lines = &text[..complete];
        output.run_lines(p, lines, next_line, &mut scratch);
        next_line += count_newlines(lines);
        output.flush(out, err, &mut total)?;
        out.flush()?;
        text.drain(..complete);
        if at_eof {
            return Ok(total);
        }
    }
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

    /// Gives at most 7 bytes per read, so lines arrive in pieces.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.0.len().min(buf.len()).min(7);
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn lines_split_across_reads_are_joined() {
        let text: String = (0..2000).map(|i| format!("input{i} x\n")).collect();
        for threads in [1, 2, 3] {
            let (mut out, mut err) = (Vec::new(), Vec::new());
            let summary =
                run_reader(&Echo, Trickle(text.as_bytes()), threads, &mut out, &mut err).unwrap();
            assert_eq!(
                summary,
                Summary {
                    inputs: 4000,
                    failed: 0
                }
            );
            let expected: String = (0..2000).map(|i| format!("input{i}\nx\n")).collect();
            assert_eq!(
                String::from_utf8(out).unwrap(),
                expected,
                "{threads} threads"
            );
        }
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
