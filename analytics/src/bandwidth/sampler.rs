//! Fetching the chain's block samples from a node over RPC, with a resumable on-disk cache.
//!
//! Each sample costs `getblockhash` and, unless cached under the same hash, `getblock <hash> 1`
//! (its `size` and `time`). Samples are appended to the cache file as they arrive, so an
//! interrupted run loses nothing fetched; a re-run reuses every sample whose block hash is still
//! on the node's main chain (a reorg just refetches the changed heights).

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;

use bitcoin::BlockHash;

use super::chain::BlockSample;
use crate::node::{NodeError, RpcNode};

/// Why sampling stopped.
#[derive(Debug, thiserror::Error)]
pub enum SampleError {
    /// The node failed or refused.
    #[error("block {height}: {source}")]
    Node {
        /// The height being sampled.
        height: u32,
        /// The node's error.
        source: NodeError,
    },
    /// The cache file could not be read or written.
    #[error("{path}: {source}")]
    Cache {
        /// The cache file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// Stopped by the cancel flag (Ctrl-C); samples so far are in the cache.
    #[error("interrupted after {done} of {total} samples; a re-run resumes from the cache")]
    Interrupted {
        /// Samples done.
        done: usize,
        /// Samples asked for.
        total: usize,
    },
}

/// The part of `getblock <hash> 1` a sample needs.
#[derive(Debug, serde::Deserialize)]
struct BlockInfo {
    height: u32,
    time: u32,
    size: u64,
}

/// Samples cached on disk: one line `height,hash,time,size` per block.
#[derive(Debug)]
pub struct SampleCache {
    path: PathBuf,
    /// Opened once for appending; each sample is one `write` of a whole line.
    file: File,
    known: HashMap<u32, (BlockHash, BlockSample)>,
}

impl SampleCache {
    /// Opens (and reads) the cache file at `path`, creating its folder; unreadable lines (e.g. a
    /// line cut by a crash) are ignored and refetched.
    pub fn open(path: &Path) -> Result<Self, SampleError> {
        let error = |source| SampleError::Cache {
            path: path.to_path_buf(),
            source,
        };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(error)?;
        }
        let mut known = HashMap::new();
        match File::open(path) {
            Ok(file) => {
                for line in BufReader::new(file).lines() {
                    if let Some((hash, sample)) = parse_line(&line.map_err(error)?) {
                        known.insert(sample.height, (hash, sample));
                    }
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(error(e)),
        }
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(error)?;
        Ok(SampleCache {
            path: path.to_path_buf(),
            file,
            known,
        })
    }

    /// Number of cached samples.
    pub fn len(&self) -> usize {
        self.known.len()
    }

    /// Whether the cache is empty.
    pub fn is_empty(&self) -> bool {
        self.known.is_empty()
    }

    fn append(&mut self, hash: BlockHash, sample: BlockSample) -> Result<(), SampleError> {
        let line = format!(
            "{},{},{},{}\n",
            sample.height, hash, sample.time, sample.size
        );
        self.file
            .write_all(line.as_bytes())
            .map_err(|source| SampleError::Cache {
                path: self.path.clone(),
                source,
            })?;
        self.known.insert(sample.height, (hash, sample));
        Ok(())
    }
}

fn parse_line(line: &str) -> Option<(BlockHash, BlockSample)> {
    let mut parts = line.split(',');
    let height = parts.next()?.parse().ok()?;
    let hash = parts.next()?.parse().ok()?;
    let time = parts.next()?.parse().ok()?;
    let size = parts.next()?.parse().ok()?;
    parts
        .next()
        .is_none()
        .then_some((hash, BlockSample { height, time, size }))
}

/// Samples `heights` from `node`, reusing and extending `cache`; `progress(done, total)` is
/// called after each sample. Stops with [`SampleError::Interrupted`] when the node's cancel flag
/// is set.
pub fn sample_blocks(
    node: &RpcNode,
    heights: &[u32],
    cache: &mut SampleCache,
    mut progress: impl FnMut(usize, usize),
) -> Result<Vec<BlockSample>, SampleError> {
    let mut samples = Vec::with_capacity(heights.len());
    for (i, &height) in heights.iter().enumerate() {
        if node.cancel_flag().load(Ordering::Relaxed) {
            return Err(SampleError::Interrupted {
                done: i,
                total: heights.len(),
            });
        }
        let node_error = |source| match source {
            NodeError::Interrupted => SampleError::Interrupted {
                done: i,
                total: heights.len(),
            },
            source => SampleError::Node { height, source },
        };
        let hash = node.block_hash(height).map_err(node_error)?;
        let sample = match cache.known.get(&height) {
            Some((cached, sample)) if *cached == hash => *sample,
            _ => {
                let info: BlockInfo = node
                    .call("getblock", &[hash.to_string().into(), 1.into()])
                    .map_err(node_error)?;
                let sample = BlockSample {
                    height: info.height,
                    time: info.time,
                    size: info.size,
                };
                cache.append(hash, sample)?;
                sample
            }
        };
        samples.push(sample);
        progress(i + 1, heights.len());
    }
    Ok(samples)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_round_trip_ignores_broken_lines() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c").join("samples.csv");
        let mut cache = SampleCache::open(&path).unwrap();
        let hash: BlockHash = "0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206"
            .parse()
            .unwrap();
        cache
            .append(
                hash,
                BlockSample {
                    height: 3,
                    time: 100,
                    size: 250,
                },
            )
            .unwrap();
        std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap()
            .write_all(b"4,zz,1")
            .unwrap();
        let cache = SampleCache::open(&path).unwrap();
        assert_eq!(cache.len(), 1);
        assert_eq!(
            cache.known[&3],
            (
                hash,
                BlockSample {
                    height: 3,
                    time: 100,
                    size: 250
                }
            )
        );
    }
}
