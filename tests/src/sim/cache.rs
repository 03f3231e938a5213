//! Finished chains saved under `.cache/chains/<name>/` (datadir, manifest, meta.json) and reused,
//! so benchmarks do not regenerate them.

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use bitcoin::hashes::{sha256, Hash};

use super::config::SimConfig;
use super::manifest::{read_manifest, write_manifest, ManifestError, ManifestRow};
use super::run::{run, SimError, SimReport};
use crate::node::{workspace_root, Node, NodeBuilder, NodeError};

/// A saved chain: a stopped node's datadir and the manifest of its transactions.
#[derive(Debug, Clone)]
pub struct CachedChain {
    /// `.cache/chains/<name>`.
    pub dir: PathBuf,
    /// The datadir (holds `regtest/`); never started in place, see [`CachedChain::start_node`].
    pub datadir: PathBuf,
    /// The manifest CSV.
    pub manifest_path: PathBuf,
    /// The configuration it was made with.
    pub config: SimConfig,
    /// What the simulation did when the chain was made.
    pub report: SimReport,
}

impl CachedChain {
    /// Starts a node on a fresh copy of the saved datadir (the cache itself stays untouched).
    ///
    /// ```no_run
    /// use btcaddr_tests::sim::{cached_chain, Preset};
    /// let chain = cached_chain(&Preset::Tiny.config(), false, &mut |_| {}).unwrap();
    /// let node = chain.start_node().unwrap();
    /// ```
    pub fn start_node(&self) -> Result<Node, NodeError> {
        NodeBuilder::new()
            .args(self.config.node_args())
            .copy_datadir_from(&self.datadir)
            .start()
    }

    /// Reads the manifest.
    ///
    /// ```no_run
    /// use btcaddr_tests::sim::{cached_chain, Preset};
    /// let chain = cached_chain(&Preset::Tiny.config(), false, &mut |_| {}).unwrap();
    /// let rows = chain.manifest().unwrap();
    /// ```
    pub fn manifest(&self) -> Result<Vec<ManifestRow>, ManifestError> {
        read_manifest(&self.manifest_path)
    }
}

/// Where saved chains live: `<workspace>/.cache/chains`.
///
/// ```
/// assert!(btcaddr_tests::sim::chains_dir().ends_with(".cache/chains"));
/// ```
pub fn chains_dir() -> PathBuf {
    workspace_root().join(".cache/chains")
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Meta {
    fingerprint: String,
    config: SimConfig,
    report: SimReport,
}

/// Returns the saved chain for `config` (folder `config.name`), generating and saving it first
/// when it is missing, was made with other parameters, or `force` is set.
///
/// ```no_run
/// use btcaddr_tests::sim::{cached_chain, Preset};
/// let chain = cached_chain(&Preset::Mainnet.config(), false, &mut |line| eprintln!("{line}")).unwrap();
/// println!("{}", chain.manifest_path.display());
/// ```
pub fn cached_chain(
    config: &SimConfig,
    force: bool,
    progress: &mut dyn FnMut(&str),
) -> Result<CachedChain, SimError> {
    let dir = chains_dir().join(&config.name);
    let fingerprint = fingerprint(config);
    if !force {
        if let Some(chain) = load(&dir, &fingerprint) {
            progress(&format!("reusing the saved chain in {}", dir.display()));
            return Ok(chain);
        }
    }
    // Tests in one binary run on parallel threads and test binaries may overlap with
    // `regtest-sim`: one maker per chain, the others wait and then reuse its result.
    let _in_process = MAKING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let _across_processes = lock_chain(&dir)?;
    if !force {
        if let Some(chain) = load(&dir, &fingerprint) {
            progress(&format!(
                "reusing the chain just saved in {}",
                dir.display()
            ));
            return Ok(chain);
        }
    }
    let partial = dir.with_file_name(format!("{}.partial-{}", config.name, std::process::id()));
    let _ = fs::remove_dir_all(&partial);
    let result = generate(config, &partial, &fingerprint, progress);
    if result.is_err() {
        let _ = fs::remove_dir_all(&partial);
    }
    result?;
    let _ = fs::remove_dir_all(&dir);
    fs::rename(&partial, &dir)
        .map_err(|source| io_error("cannot move the chain to", &dir, source))?;
    progress(&format!("saved the chain in {}", dir.display()));
    load(&dir, &fingerprint).ok_or(SimError::Unexpected {
        method: "cache",
        detail: format!("{} unreadable right after saving", dir.display()),
    })
}

/// Held while a chain is being made in this process (the file lock below is per process).
static MAKING: Mutex<()> = Mutex::new(());

/// An exclusive lock on `<dir>.lock`, released when the returned file is dropped.
fn lock_chain(dir: &Path) -> Result<File, SimError> {
    let mut name = dir.file_name().unwrap_or_default().to_os_string();
    name.push(".lock");
    let lock_path = dir.with_file_name(name);
    if let Some(parent) = lock_path.parent() {
        fs::create_dir_all(parent).map_err(|source| io_error("cannot create", parent, source))?;
    }
    let file = File::create(&lock_path)
        .map_err(|source| io_error("cannot create the lock file", &lock_path, source))?;
    file.lock()
        .map_err(|source| io_error("cannot lock", &lock_path, source))?;
    Ok(file)
}

fn generate(
    config: &SimConfig,
    dir: &Path,
    fingerprint: &str,
    progress: &mut dyn FnMut(&str),
) -> Result<(), SimError> {
    let mut node = NodeBuilder::new()
        .args(config.node_args())
        .datadir(dir.join("datadir"))
        .start()?;
    let outcome = run(&node, config, progress)?;
    node.stop()?;
    write_manifest(&dir.join("manifest.csv"), &outcome.manifest).map_err(|e| {
        io_error(
            "cannot write manifest",
            dir,
            std::io::Error::other(e.to_string()),
        )
    })?;
    let meta = Meta {
        fingerprint: fingerprint.to_string(),
        config: config.clone(),
        report: outcome.report,
    };
    let json = serde_json::to_string_pretty(&meta).map_err(|e| SimError::Unexpected {
        method: "cache",
        detail: e.to_string(),
    })?;
    let meta_path = dir.join("meta.json");
    fs::write(&meta_path, json).map_err(|source| io_error("cannot write", &meta_path, source))
}

fn load(dir: &Path, fingerprint: &str) -> Option<CachedChain> {
    let meta: Meta = serde_json::from_slice(&fs::read(dir.join("meta.json")).ok()?).ok()?;
    let chain = CachedChain {
        dir: dir.to_path_buf(),
        datadir: dir.join("datadir"),
        manifest_path: dir.join("manifest.csv"),
        config: meta.config,
        report: meta.report,
    };
    (meta.fingerprint == fingerprint
        && chain.datadir.join("regtest/blocks").is_dir()
        && chain.manifest_path.is_file())
    .then_some(chain)
}

/// A stable digest of the configuration (floats compared as written, not re-parsed).
fn fingerprint(config: &SimConfig) -> String {
    let json = serde_json::to_string(config).unwrap_or_default();
    sha256::Hash::hash(json.as_bytes()).to_string()
}

fn io_error(what: &'static str, path: &Path, source: std::io::Error) -> SimError {
    SimError::Node(NodeError::Io {
        what,
        path: path.to_path_buf(),
        source,
    })
}
