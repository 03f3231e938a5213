//! End-to-end tests of the `btcaddr` binary: every command on good and bad input, batches from
//! standard input, JSON parsed back, and round trips through real mainnet addresses.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

/// Real mainnet addresses of every standard type, with the type `decode` must report.
const MAINNET: [(&str, &str); 6] = [
    ("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", "p2pkh"),
    ("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", "p2sh"),
    ("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", "p2wpkh"),
    (
        "bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3",
        "p2wsh",
    ),
    (
        "bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297",
        "p2tr",
    ),
    ("bc1pfeessrawgf", "p2a"),
];

const P2WPKH_SCRIPT: &str = "0014e8df018c7e326cc253faac7e46cdc51e68542c42";

fn btcaddr() -> Command {
    Command::cargo_bin("btcaddr").expect("the btcaddr binary is built by cargo test")
}

/// Runs `btcaddr ARGS` and returns (stdout, stderr, exit code).
fn run(args: &[&str], stdin: &str) -> (String, String, i32) {
    let output = btcaddr()
        .args(args)
        .write_stdin(stdin.as_bytes().to_vec())
        .output()
        .expect("btcaddr runs");
    (
        String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        String::from_utf8(output.stderr).expect("stderr is UTF-8"),
        output.status.code().expect("btcaddr exits normally"),
    )
}

fn generic_of(standard: &str) -> String {
    let (out, err, code) = run(&["encode", standard], "");
    assert_eq!(code, 0, "encode {standard}: {err}");
    out.trim_end().to_owned()
}

#[test]
fn the_mainnet_fixtures_are_real_addresses() {
    for (s, _) in MAINNET {
        let parsed: bitcoin::Address<bitcoin::address::NetworkUnchecked> =
            s.parse().unwrap_or_else(|e| panic!("{s}: {e}"));
        assert!(
            parsed.is_valid_for_network(bitcoin::Network::Bitcoin),
            "{s}"
        );
    }
}

#[test]
fn round_trip_encode_decode_convert_for_every_type() {
    let inputs: Vec<&str> = MAINNET.iter().map(|(s, _)| *s).collect();
    let mut args = vec!["encode"];
    args.extend(&inputs);
    let (generic, err, code) = run(&args, "");
    assert_eq!(code, 0, "{err}");
    let generic: Vec<&str> = generic.lines().collect();
    assert_eq!(generic.len(), MAINNET.len());

    let mut args = vec!["decode"];
    args.extend(&generic);
    let (decoded, err, code) = run(&args, "");
    assert_eq!(code, 0, "{err}");
    for ((standard, kind), line) in MAINNET.iter().zip(decoded.lines()) {
        let fields: Vec<&str> = line.split(' ').collect();
        let expected_script = mainnet_address(standard).script_pubkey();
        assert_eq!(
            fields,
            ["btc", &expected_script.to_hex_string(), *kind],
            "{standard}"
        );
    }

    let mut args = vec!["convert"];
    args.extend(&generic);
    let (back, err, code) = run(&args, "");
    assert_eq!(code, 0, "{err}");
    assert_eq!(back.lines().collect::<Vec<_>>(), inputs);

    // And standard → generic through convert gives what encode gave.
    let mut args = vec!["convert"];
    args.extend(&inputs);
    let (forward, _, code) = run(&args, "");
    assert_eq!(code, 0);
    assert_eq!(forward.lines().collect::<Vec<_>>(), generic);
}

/// Parses a mainnet standard address.
fn mainnet_address(s: &str) -> bitcoin::Address {
    s.parse::<bitcoin::Address<_>>()
        .expect("valid")
        .require_network(bitcoin::Network::Bitcoin)
        .expect("mainnet")
}

#[test]
fn encode_script_hex_defaults_to_btc_and_takes_a_network() {
    let (out, err, code) = run(&["encode", "--script", P2WPKH_SCRIPT], "");
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out.trim_end(),
        generic_of("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq")
    );

    let (out, _, code) = run(
        &["encode", "--script", "--network", "signet", "51024e73"],
        "",
    );
    assert_eq!(code, 0);
    assert!(out.starts_with("signet:"), "{out}");
}

#[test]
fn encode_bad_inputs_name_the_error_and_exit_1() {
    let (out, err, code) = run(&["encode", "--script", "00zz"], "");
    assert_eq!((out.as_str(), code), ("", 1));
    assert_eq!(
        err,
        "btcaddr: 00zz: invalid hex: 'z' at position 2 is not a hex digit\n"
    );

    let (_, err, code) = run(&["encode", "--script", "abc"], "");
    assert_eq!(code, 1);
    assert!(err.contains("odd number of digits"), "{err}");

    let (_, err, code) = run(
        &["encode", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdz"],
        "",
    );
    assert_eq!(code, 1);
    assert!(
        err.starts_with(
            "btcaddr: bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdz: not a standard address"
        ),
        "{err}"
    );

    let generic = generic_of("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2");
    let (_, err, code) = run(&["encode", &generic], "");
    assert_eq!(code, 1);
    assert!(err.contains("generic address already"), "{err}");
}

#[test]
fn encode_network_chooses_among_shared_forms_and_is_checked() {
    let tb = "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7";
    let (out, _, code) = run(&["encode", tb], "");
    assert_eq!(code, 0);
    assert!(out.starts_with("testnet:"), "{out}");
    let (out, _, code) = run(&["encode", "--network", "signet", tb], "");
    assert_eq!(code, 0);
    assert!(out.starts_with("signet:"), "{out}");
    let (out, err, code) = run(&["encode", "--network", "btc", tb], "");
    assert_eq!((out.as_str(), code), ("", 1));
    assert!(err.contains("not valid on btc"), "{err}");
}

#[test]
fn decode_prints_network_script_type_and_accepts_uppercase() {
    let generic = generic_of("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq");
    let expected = format!("btc {P2WPKH_SCRIPT} p2wpkh\n");
    btcaddr()
        .args(["decode", &generic])
        .assert()
        .success()
        .stdout(expected.clone());
    btcaddr()
        .args(["decode", &generic.to_uppercase()])
        .assert()
        .success()
        .stdout(expected);
}

#[test]
fn decode_bad_input_names_the_error() {
    let generic = generic_of("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq");
    let mut typo: Vec<char> = generic.chars().collect();
    typo.swap(8, 9);
    let typo: String = typo.into_iter().collect();
    assert_ne!(typo, generic);
    let (out, err, code) = run(&["decode", &typo], "");
    assert_eq!((out.as_str(), code), ("", 1));
    assert!(err.starts_with(&format!("btcaddr: {typo}: ")), "{err}");
    assert!(err.contains("mismatch"), "{err}");

    let (_, err, code) = run(&["decode", "bc1pfeessrawgf"], "");
    assert_eq!(code, 1);
    assert!(
        err.contains("this is a standard address, not a generic one"),
        "{err}"
    );

    let (_, err, code) = run(&["decode", "btc:ybn0"], "");
    assert_eq!(code, 1);
    assert!(err.contains("invalid character '0' at position 7"), "{err}");
}

#[test]
fn decode_json_parses_back() {
    let generic: Vec<String> = MAINNET.iter().map(|(s, _)| generic_of(s)).collect();
    let mut args = vec!["decode", "--json"];
    args.extend(generic.iter().map(String::as_str));
    let (out, err, code) = run(&args, "");
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), MAINNET.len());
    for ((line, (standard, kind)), address) in lines.iter().zip(MAINNET).zip(&generic) {
        let v: Value = serde_json::from_str(line).expect("each line is a JSON object");
        let script = mainnet_address(standard).script_pubkey();
        assert_eq!(v["network"], "btc");
        assert_eq!(v["script"], script.to_hex_string());
        assert_eq!(v["type"], kind);
        assert_eq!(v["address"], address.as_str());
        assert_eq!(v["standard"], true);
        assert_eq!(v["warning"], Value::Null);
        assert_eq!(v.as_object().map(|o| o.len()), Some(6), "{line}");
    }
}

#[test]
fn convert_reports_scripts_without_a_standard_form() {
    // P2PK (the genesis output key): no standard address.
    let p2pk = "4104678afdb0fe5548271967f1a67130b7105cd6a828e03909a67962e0ea1f61deb649f6bc3f4cef38c4f35504e51ec112de5c384df7ba0b8d578a4c702b6bf11d5fac";
    let generic = run(&["encode", "--script", p2pk], "").0;
    let generic = generic.trim_end();
    let (out, err, code) = run(&["convert", generic], "");
    assert_eq!((out.as_str(), code), ("", 1));
    assert!(
        err.contains("a p2pk script has no standard address"),
        "{err}"
    );

    let (_, err, code) = run(
        &[
            "convert",
            "--network",
            "signet",
            &generic_of("bc1pfeessrawgf"),
        ],
        "",
    );
    assert_eq!(code, 1);
    assert!(
        err.contains("the address is on btc, not on signet"),
        "{err}"
    );
}

#[test]
fn check_says_valid_or_shows_a_caret_and_unverified_guesses() {
    let generic = generic_of("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq");
    let (out, _, code) = run(&["check", &generic], "");
    assert_eq!(code, 0);
    assert_eq!(out, format!("{generic}: valid btc p2wpkh address\n"));

    // A letter outside the alphabet: caret under it, and the right address among the guesses.
    let at = 12;
    let mut typo: Vec<char> = generic.chars().collect();
    let original = typo[at];
    typo[at] = '0';
    let typo: String = typo.into_iter().collect();
    let (out, err, code) = run(&["check", &typo], "");
    assert_eq!(code, 1, "{out}{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[0].starts_with(&format!(
            "{typo}: invalid: invalid character '0' at position {at}"
        )),
        "{out}"
    );
    assert_eq!(lines[1], format!("    {typo}"));
    assert_eq!(lines[2], format!("    {}^", " ".repeat(at)));
    assert!(lines[3].contains("UNVERIFIED"), "{out}");
    assert!(lines[3].contains("confirm with the payee"), "{out}");
    // Putting the original letter back is one substitution away, so it is among the guesses.
    assert!(
        out.contains(&format!("    {generic}  (position {at}: '0' ")),
        "{original} missing from\n{out}"
    );

    // Two swapped letters: no caret (the place is unknown) but the original is guessed.
    let mut swapped: Vec<char> = generic.chars().collect();
    let i = (4..swapped.len() - 1)
        .find(|&i| swapped[i] != swapped[i + 1])
        .expect("two different letters");
    swapped.swap(i, i + 1);
    let swapped: String = swapped.into_iter().collect();
    let (out, _, code) = run(&["check", &swapped], "");
    assert_eq!(code, 1);
    assert!(
        out.contains(&format!(
            "    {generic}  (positions {i} and {}: swapped)",
            i + 1
        )),
        "{out}"
    );

    // A standard address is recognised.
    let (out, _, code) = run(&["check", "bc1pfeessrawgf"], "");
    assert_eq!(code, 0);
    assert!(out.contains("valid standard btc p2a address"), "{out}");
}

#[test]
fn check_marks_an_unknown_prefix() {
    let generic = generic_of("bc1pfeessrawgf");
    let bad = generic.replacen("btc", "bct", 1);
    let (out, _, code) = run(&["check", &bad], "");
    assert_eq!(code, 1);
    assert!(out.contains("unknown prefix \"bct\""), "{out}");
    assert!(out.contains("\n    ^^^\n"), "{out}");
}

#[test]
fn inspect_shows_every_detail() {
    let taproot = MAINNET[4].0;
    let (out, err, code) = run(&["inspect", taproot], "");
    assert_eq!(code, 0, "{err}");
    let generic = generic_of(taproot);
    for expected in [
        "network:           btc".to_owned(),
        "type:              p2tr".to_owned(),
        "script hex:        5120".to_owned(),
        "script asm:        OP_PUSHNUM_1 OP_PUSHBYTES_32 ".to_owned(),
        "witness version:   1".to_owned(),
        "witness program:   ".to_owned(),
        format!("generic:           {generic}"),
        format!("uppercase (QR):    {}", generic.to_uppercase()),
        format!("standard:          {taproot} (bech32m)"),
        "script length:     34 bytes".to_owned(),
        "standard length:   62 characters".to_owned(),
    ] {
        assert!(out.contains(&expected), "missing {expected:?} in\n{out}");
    }

    let (out, _, code) = run(&["inspect", "--json", &generic_of(MAINNET[0].0)], "");
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(out.trim_end()).expect("JSON");
    assert_eq!(v["type"], "p2pkh");
    assert_eq!(v["standard"], MAINNET[0].0);
    assert_eq!(v["standard_encoding"], "base58check");
    assert_eq!(v["hash"].as_str().map(str::len), Some(40));
    assert_eq!(v["witness_version"], Value::Null);

    let (out, err, code) = run(&["inspect", "btc:"], "");
    assert_eq!((out.as_str(), code), ("", 1));
    assert!(err.contains("invalid length"), "{err}");
}

#[test]
fn batch_keeps_going_past_a_bad_line_and_reports_its_number() {
    let good: Vec<&str> = MAINNET.iter().map(|(s, _)| *s).collect();
    let stdin = format!(
        "{}\n{}\n  not-an-address  \n\n{} {}\r\n{}\n{}",
        good[0], good[1], good[2], good[3], good[4], good[5]
    );
    let (out, err, code) = run(&["encode"], &stdin);
    assert_eq!(code, 1);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("btcaddr: line 3: not-an-address: not a standard address"),
        "{err}"
    );
    let expected: Vec<String> = good.iter().map(|s| generic_of(s)).collect();
    assert_eq!(out.lines().collect::<Vec<_>>(), expected);

    // The same batch through decode, with a corrupted line 2.
    let mut generic = expected.clone();
    generic[1].push('y');
    let (out, err, code) = run(&["decode"], &generic.join("\n"));
    assert_eq!(code, 1);
    assert!(
        err.starts_with(&format!("btcaddr: line 2: {}: invalid length", generic[1])),
        "{err}"
    );
    assert_eq!(out.lines().count(), 5);
}

#[test]
fn large_batches_are_the_same_on_one_thread_and_two() {
    let (standard, _, code) = run(&["bench-input", "30000"], "");
    assert_eq!(code, 0);
    // A bad line deep in the second worker's half.
    let mut lines: Vec<&str> = standard.lines().collect();
    lines.insert(25_000, "garbage");
    let stdin = lines.join("\n");
    let one = run(&["--threads", "1", "encode"], &stdin);
    let two = run(&["--threads", "2", "encode"], &stdin);
    assert_eq!(one, two);
    assert_eq!(one.2, 1);
    assert_eq!(one.0.lines().count(), 30_000);
    assert_eq!(one.1.lines().count(), 1, "{}", one.1);
    assert!(
        one.1
            .starts_with("btcaddr: line 25001: garbage: not a standard address"),
        "{}",
        one.1
    );

    let (decoded, err, code) = run(&["--threads", "2", "decode"], &one.0);
    assert_eq!(code, 0, "{err}");
    let types: Vec<&str> = decoded
        .lines()
        .take(3)
        .map(|l| l.rsplit(' ').next().unwrap_or(""))
        .collect();
    assert_eq!(types, ["p2wpkh", "p2tr", "p2pkh"]);
    let (back, _, code) = run(&["--threads", "2", "convert"], &one.0);
    assert_eq!(code, 0);
    assert_eq!(back, standard);
}

#[test]
fn usage_errors_exit_2() {
    btcaddr().assert().code(2);
    btcaddr()
        .args(["encode", "--network", "mars", "x"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("mars"));
    btcaddr().args(["frobnicate"]).assert().code(2);
}

#[test]
fn every_command_has_help_with_an_example() {
    for command in [
        "encode",
        "decode",
        "convert",
        "check",
        "inspect",
        "completions",
        "man",
    ] {
        btcaddr()
            .args([command, "--help"])
            .assert()
            .success()
            .stdout(predicate::str::contains("Examples:"));
    }
    btcaddr()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("Exit status"));
}

#[test]
fn completions_and_man_page_name_every_command() {
    for shell in ["bash", "zsh", "fish"] {
        let (out, _, code) = run(&["completions", shell], "");
        assert_eq!(code, 0);
        for command in ["encode", "decode", "convert", "check", "inspect"] {
            assert!(out.contains(command), "{shell} completions lack {command}");
        }
    }
    let (man, _, code) = run(&["man"], "");
    assert_eq!(code, 0);
    assert!(
        man.starts_with(".ie") || man.contains(".TH btcaddr"),
        "{man}"
    );
    for command in ["encode", "decode", "convert", "check", "inspect"] {
        assert!(man.contains(command), "man page lacks {command}");
    }

    let dir = tempfile::tempdir().expect("temporary directory");
    let out_dir = dir.path().to_str().expect("UTF-8 path");
    let (_, err, code) = run(&["man", "--out-dir", out_dir], "");
    assert_eq!(code, 0, "{err}");
    for page in ["btcaddr.1", "btcaddr-encode.1", "btcaddr-check.1"] {
        let text = std::fs::read_to_string(dir.path().join(page)).expect(page);
        assert!(text.contains(".TH"), "{page}: {text}");
    }
    let (_, err, code) = run(&["man", "--out-dir", "/nonexistent/btcaddr-man"], "");
    assert_eq!(code, 2);
    assert!(
        err.starts_with("btcaddr: writing man pages to /nonexistent/btcaddr-man: "),
        "{err}"
    );

    let encode_page = std::fs::read_to_string(dir.path().join("btcaddr-encode.1")).expect("page");
    assert!(encode_page.contains("\\-\\-script"), "{encode_page}");
}

/// A P2WPKH address that stays valid with a `y` appended (about 1 in 32 do): the format's
/// known weakness, which the non-standard warning exists for.
fn accepted_with_a_y_appended() -> (String, String) {
    for i in 0..=255u8 {
        let mut script = vec![0x00, 0x14];
        script.extend_from_slice(&[i; 20]);
        let good =
            btcaddr::encode(btcaddr::Network::Btc, &script).expect("a P2WPKH script encodes");
        let typo = format!("{good}y");
        if btcaddr::is_valid(&typo) {
            return (good, typo);
        }
    }
    panic!("no P2WPKH script of the form 0014 + [i; 20] accepts an appended y");
}

#[test]
fn a_valid_address_of_a_non_standard_script_is_shown_with_the_warning() {
    let (good, typo) = accepted_with_a_y_appended();
    let warning = "valid, but pays to a non-standard script of 23 bytes: if you expected an ordinary address, it was probably mistyped";

    let (out, _, code) = run(&["check", &good, &typo], "");
    assert_eq!(code, 0);
    assert_eq!(
        out,
        format!("{good}: valid btc p2wpkh address\n{typo}: btc address {warning}\n")
    );

    let (out, _, code) = run(&["decode", "--json", &typo], "");
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(out.trim_end()).expect("JSON");
    assert_eq!(
        (&v["type"], &v["standard"]),
        (&Value::from("nonstandard"), &Value::from(false))
    );
    assert_eq!(v["warning"], warning);

    let (out, _, _) = run(&["inspect", &typo], "");
    assert!(
        out.contains(&format!("warning:           {warning}")),
        "{out}"
    );
    let (out, _, _) = run(&["inspect", "--json", &typo], "");
    let v: Value = serde_json::from_str(out.trim_end()).expect("JSON");
    assert_eq!(
        (&v["is_standard"], &v["warning"]),
        (&Value::from(false), &Value::from(warning))
    );
}

#[test]
fn qr_prints_the_uppercase_generic_form_or_writes_svg_and_png() {
    let standard = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq";
    let generic = generic_of(standard);
    let upper = generic.to_uppercase();

    // The terminal form: block characters, then the text it encodes. A standard address is
    // shown as its generic form.
    for input in [generic.as_str(), standard] {
        let (out, err, code) = run(&["qr", input], "");
        assert_eq!(code, 0, "{err}");
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.last(), Some(&upper.as_str()));
        // Version 3 at level M (29 modules) + 2 × 4 quiet modules, two rows a line.
        assert!(lines.len() > 15, "{out}");
        assert!(lines[..lines.len() - 1]
            .iter()
            .all(|l| l.chars().all(|c| " █▀▄".contains(c))));
    }

    let dir = tempfile::tempdir().expect("temp dir");
    let svg = dir.path().join("pay.svg");
    let png = dir.path().join("pay.png");
    let (out, err, code) = run(
        &[
            "qr",
            "--svg",
            svg.to_str().unwrap(),
            "--png",
            png.to_str().unwrap(),
            &generic,
        ],
        "",
    );
    assert_eq!((out.as_str(), code), ("", 0), "{err}");
    let svg_text = std::fs::read_to_string(&svg).expect("the SVG is written");
    assert!(
        svg_text.contains("<svg") && svg_text.contains("</svg>"),
        "{svg_text}"
    );
    let image = image::open(&png).expect("the PNG decodes").to_luma8();
    assert_eq!(image.width(), image.height());
    assert_eq!(image.width() % 8, 0);
    // The quiet zone is white, the finder pattern's corner black.
    assert_eq!(image.get_pixel(0, 0).0, [255]);
    assert_eq!(image.get_pixel(4 * 8, 4 * 8).0, [0]);

    let (out, err, code) = run(&["qr", "btc:ybn0"], "");
    assert_eq!((out.as_str(), code), ("", 1));
    assert!(err.contains("invalid character '0' at position 7"), "{err}");

    let missing = dir.path().join("no-such-folder").join("pay.svg");
    let (_, err, code) = run(&["qr", "--svg", missing.to_str().unwrap(), &generic], "");
    assert_eq!(code, 2);
    assert!(
        err.contains("writing") && err.contains("no-such-folder"),
        "{err}"
    );
}
