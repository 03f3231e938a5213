//! include/btcaddr.h is exactly what cbindgen generates from src/lib.rs, so the header cannot
//! drift from the library. `BTCADDR_C_WRITE_HEADER=1 cargo test -p btcaddr-c --test header`
//! rewrites it.

use std::path::Path;

#[test]
fn header_matches_the_rust_signatures() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = cbindgen::Config::from_file(dir.join("cbindgen.toml"))
        .unwrap_or_else(|e| panic!("reading cbindgen.toml: {e}"));
    // Parse the one source file (no `cargo metadata`, which would contend for cargo's locks).
    let bindings = cbindgen::Builder::new()
        .with_config(config)
        .with_src(dir.join("src/lib.rs"))
        .generate()
        .unwrap_or_else(|e| panic!("cbindgen failed on src/lib.rs: {e}"));
    let mut generated = Vec::new();
    bindings.write(&mut generated);
    let generated = String::from_utf8(generated).expect("cbindgen writes UTF-8");
    let path = dir.join("include/btcaddr.h");
    if std::env::var_os("BTCADDR_C_WRITE_HEADER").is_some() {
        std::fs::write(&path, &generated).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (generate it with BTCADDR_C_WRITE_HEADER=1)",
            path.display()
        )
    });
    if committed != generated {
        let diff = first_difference(&committed, &generated);
        panic!(
            "{} is stale: it differs from what cbindgen generates from src/lib.rs.\n{diff}\n\
             Rewrite it with: BTCADDR_C_WRITE_HEADER=1 cargo test -p btcaddr-c --test header",
            path.display()
        );
    }
}

/// A diff-style excerpt around the first line that differs.
fn first_difference(committed: &str, generated: &str) -> String {
    let old: Vec<&str> = committed.lines().collect();
    let new: Vec<&str> = generated.lines().collect();
    let first = old
        .iter()
        .zip(&new)
        .position(|(a, b)| a != b)
        .unwrap_or(old.len().min(new.len()));
    let mut out = format!("first difference at line {}:\n", first + 1);
    for line in old.iter().skip(first).take(5) {
        out.push_str(&format!("- {line}\n"));
    }
    for line in new.iter().skip(first).take(5) {
        out.push_str(&format!("+ {line}\n"));
    }
    out
}
