//! `btcaddr inspect`: every detail of an address, as labelled text or one JSON object.

use std::io::Write;

use bitcoin::hex::DisplayHex;
use btcaddr::{GenericAddress, Network, ScriptType};
use serde::Serialize;

use super::batch::{Failure, Location, Processor, Scratch};
use super::convert::parse_any;

/// Inspects generic or standard addresses.
#[derive(Debug, Clone, Copy)]
pub struct Inspect {
    /// `--json`: one object per line.
    pub json: bool,
    /// `--network` for standard inputs.
    pub network: Option<Network>,
}

/// Everything about one address; the `--json` object.
#[derive(Debug, Serialize)]
pub struct Details {
    /// The input as given.
    pub input: String,
    /// Network prefix.
    pub network: String,
    /// The script type.
    #[serde(rename = "type")]
    pub script_type: String,
    /// scriptPubKey in hex.
    pub script_hex: String,
    /// scriptPubKey as assembly.
    pub script_asm: String,
    /// Witness version, for witness programs.
    pub witness_version: Option<u8>,
    /// Witness program in hex, for witness programs.
    pub witness_program: Option<String>,
    /// The hash a P2PKH (public key hash) or P2SH (script hash) pays to, in hex.
    pub hash: Option<String>,
    /// Canonical generic address.
    pub generic: String,
    /// All-uppercase generic address, for QR codes' alphanumeric mode.
    pub generic_uppercase: String,
    /// Standard address, when the script has one.
    pub standard: Option<String>,
    /// base58check, bech32 or bech32m.
    pub standard_encoding: Option<String>,
    /// Script length in bytes.
    pub script_bytes: usize,
    /// Generic address length in characters.
    pub generic_chars: usize,
    /// Letters after the colon, check letter included.
    pub generic_letters: usize,
    /// Standard address length in characters.
    pub standard_chars: Option<usize>,
    /// Whether the script is a standard output.
    pub is_standard: bool,
    /// The warning for a valid address whose script is not standard (probably mistyped).
    pub warning: Option<String>,
}

impl Details {
    /// Collects the details of `address`, given as `input`.
    ///
    /// ```
    /// use btcaddr::GenericAddress;
    /// use btcaddr_cli::address_cli::inspect::Details;
    /// let s = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq";
    /// let d = Details::of(s, &GenericAddress::from_standard(s, None).unwrap());
    /// assert_eq!(d.witness_version, Some(0));
    /// assert_eq!(d.standard.as_deref(), Some(s));
    /// ```
    pub fn of(input: &str, address: &GenericAddress) -> Details {
        let script = address.script();
        let bytes = script.as_bytes();
        let script_type = address.script_type();
        let witness_version = script.witness_version().map(|v| v.to_num());
        let hash = match script_type {
            ScriptType::P2pkh => Some(bytes[3..23].to_lower_hex_string()),
            ScriptType::P2sh => Some(bytes[2..22].to_lower_hex_string()),
            _ => None,
        };
        let standard = address.to_standard().ok().map(|a| a.to_string());
        let generic = address.to_string();
        Details {
            input: input.to_owned(),
            network: address.network().to_string(),
            script_type: script_type.to_string(),
            script_hex: bytes.to_lower_hex_string(),
            script_asm: script.to_asm_string(),
            witness_version,
            // A witness program follows its version opcode and one push opcode.
            witness_program: witness_version.map(|_| bytes[2..].to_lower_hex_string()),
            hash,
            generic_uppercase: address.to_uppercase_string(),
            generic_chars: generic.chars().count(),
            generic,
            standard_encoding: standard
                .as_ref()
                .and(script_type.standard_encoding())
                .map(str::to_owned),
            standard_chars: standard.as_ref().map(String::len),
            standard,
            script_bytes: bytes.len(),
            generic_letters: address.letter_count(),
            is_standard: address.is_standard(),
            warning: address.warning().map(|w| w.to_string()),
        }
    }

    /// Writes the labelled text form, one `label: value` line each.
    pub fn write_text(&self, out: &mut Vec<u8>) {
        let none = "(none)";
        let mut line = |label: &str, value: &dyn std::fmt::Display| {
            let _ = writeln!(out, "{:<18} {value}", format!("{label}:"));
        };
        line("input", &self.input);
        line("network", &self.network);
        line("type", &self.script_type);
        if let Some(w) = &self.warning {
            line("warning", w);
        }
        line("script hex", &self.script_hex);
        line("script asm", &self.script_asm);
        if let (Some(v), Some(p)) = (self.witness_version, &self.witness_program) {
            line("witness version", &v);
            line("witness program", p);
        }
        if let Some(h) = &self.hash {
            let label = if self.script_type == "p2pkh" {
                "pubkey hash"
            } else {
                "script hash"
            };
            line(label, h);
        }
        line("generic", &self.generic);
        line("uppercase (QR)", &self.generic_uppercase);
        match (&self.standard, &self.standard_encoding) {
            (Some(s), Some(e)) => line("standard", &format_args!("{s} ({e})")),
            _ => line("standard", &none),
        }
        line(
            "script length",
            &format_args!("{} bytes", self.script_bytes),
        );
        line(
            "generic length",
            &format_args!(
                "{} characters ({} letters after the colon)",
                self.generic_chars, self.generic_letters
            ),
        );
        match self.standard_chars {
            Some(n) => line("standard length", &format_args!("{n} characters")),
            None => line("standard length", &none),
        }
    }
}

impl Processor for Inspect {
    fn process(
        &self,
        input: &str,
        _at: Location,
        out: &mut Vec<u8>,
        _scratch: &mut Scratch,
    ) -> Result<(), Failure> {
        let address = parse_any(input, self.network)?;
        let details = Details::of(input, &address);
        if self.json {
            // Serializing strings and numbers into a Vec cannot fail.
            let _ = serde_json::to_writer(&mut *out, &details);
            out.push(b'\n');
        } else {
            details.write_text(out);
            // A blank line between addresses.
            out.push(b'\n');
        }
        Ok(())
    }
}
