//! Saved REST answers for the benchmark binaries (`decode-cost`, `parquet-cost`): a folder of
//! `<height>.block` (the bytes of `/rest/block/<hash>.bin`) and `<height>.spent`
//! (`/rest/spenttxouts/<hash>.bin`), as `scripts/bench-fee-report.sh` saves them.

use std::path::Path;

/// (height, block bytes, spent-outputs bytes), by height.
pub type Answers = Vec<(u32, Vec<u8>, Vec<u8>)>;

/// Reads every `<height>.block` in `dir` and its `<height>.spent`, sorted by height. Errors name
/// the file.
pub fn read_answers(dir: &Path) -> Result<Answers, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut answers = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| format!("{}: {e}", dir.display()))?.path();
        if path.extension().is_none_or(|x| x != "block") {
            continue;
        }
        let height = path
            .file_stem()
            .and_then(|s| s.to_str())
            .and_then(|s| s.parse().ok())
            .ok_or(format!("{}: not named <height>.block", path.display()))?;
        let read = |p: &Path| std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()));
        answers.push((height, read(&path)?, read(&path.with_extension("spent"))?));
    }
    answers.sort_by_key(|(height, _, _)| *height);
    Ok(answers)
}

/// The command line `DIR [REPS]` of a benchmark binary called `name`: the folder, its answers
/// (at least one block) and the repetitions (default 5). Errors are one line.
pub fn from_args(name: &str) -> Result<(String, Answers, u32), String> {
    let mut args = std::env::args().skip(1);
    let dir = args.next().ok_or(format!("usage: {name} DIR [REPS]"))?;
    let reps: u32 = match args.next() {
        Some(r) => r
            .parse()
            .ok()
            .filter(|&r| r > 0)
            .ok_or(format!("REPS '{r}' is not a positive number"))?,
        None => 5,
    };
    let answers = read_answers(Path::new(&dir))?;
    if answers.is_empty() {
        return Err(format!("{dir}: no <height>.block files"));
    }
    Ok((dir, answers, reps))
}

/// The hash of a serialized block (of its 80-byte header; of nothing when it is shorter).
pub fn block_hash(block: &[u8]) -> bitcoin::BlockHash {
    use bitcoin::hashes::{sha256d, Hash};
    let header = block.get(..80).unwrap_or_default();
    bitcoin::BlockHash::from_raw_hash(sha256d::Hash::hash(header))
}
