//! `btcaddr check`: a verdict per address; for an invalid one the error, a caret under the bad
//! position, and the library's correction guesses, marked as unverified.

use std::io::Write;

use btcaddr::{DecodeError, GenericAddress};

use super::batch::{Failure, Location, Processor, Scratch};

/// Checks addresses, writing the whole report to the output.
#[derive(Debug, Clone, Copy, Default)]
pub struct Check;

impl Processor for Check {
    fn process(
        &self,
        input: &str,
        at: Location,
        out: &mut Vec<u8>,
        _scratch: &mut Scratch,
    ) -> Result<(), Failure> {
        let error = match btcaddr::decode(input) {
            Ok(a) => {
                match a.warning() {
                    // Most likely a letter inserted or appended that both checks let through.
                    Some(warning) => {
                        let _ = writeln!(out, "{at}{input}: {} address {warning}", a.network());
                    }
                    None => {
                        let _ = writeln!(
                            out,
                            "{at}{input}: valid {} {} address",
                            a.network(),
                            a.script_type()
                        );
                    }
                }
                return Ok(());
            }
            Err(e) => e,
        };
        if error == DecodeError::MissingColon {
            // Not generic; maybe a standard address.
            match GenericAddress::from_standard(input, None) {
                Ok(g) => {
                    let _ = writeln!(
                        out,
                        "{at}{input}: valid standard {} {} address (generic form: {g})",
                        g.network(),
                        g.script_type()
                    );
                    return Ok(());
                }
                Err(std_error) => {
                    let _ = writeln!(
                        out,
                        "{at}{input}: invalid: {error}; read as a standard address: {std_error}"
                    );
                    return Err(Failure::Reported);
                }
            }
        }
        let _ = writeln!(out, "{at}{input}: invalid: {error}");
        if let Some(marks) = carets(input, &error) {
            let _ = writeln!(out, "    {input}");
            let _ = writeln!(out, "    {}", marks.trim_end());
        }
        let guesses = btcaddr::suggest(input);
        if guesses.is_empty() {
            let _ = writeln!(
                out,
                "  no address is one edit away: ask the payee for it again"
            );
        } else {
            let _ = writeln!(
                out,
                "  UNVERIFIED guesses, one edit away; confirm with the payee before using any:"
            );
            for g in &guesses {
                let _ = writeln!(out, "    {}  ({})", g.address, g.edit);
            }
        }
        Err(Failure::Reported)
    }
}

/// The line of `^` under the characters `error` blames, if it names any.
///
/// ```
/// use btcaddr_cli::address_cli::check::carets;
/// let e = btcaddr::decode("btc:ybn0").unwrap_err();
/// assert_eq!(carets("btc:ybn0", &e).as_deref(), Some("       ^"));
/// ```
pub fn carets(input: &str, error: &DecodeError) -> Option<String> {
    let chars: Vec<char> = input.chars().collect();
    let marked: Vec<bool> = match *error {
        DecodeError::InvalidChar { index, .. } | DecodeError::RepeatedColon { index } => {
            (0..chars.len()).map(|i| i == index).collect()
        }
        DecodeError::UnknownPrefix(_) => {
            let colon = chars.iter().position(|&c| c == ':')?;
            (0..chars.len()).map(|i| i < colon).collect()
        }
        DecodeError::MixedCase => {
            // Blame the letters of the rarer case.
            let upper = chars.iter().filter(|c| c.is_ascii_uppercase()).count();
            let lower = chars.iter().filter(|c| c.is_ascii_lowercase()).count();
            chars
                .iter()
                .map(|c| {
                    if upper <= lower {
                        c.is_ascii_uppercase()
                    } else {
                        c.is_ascii_lowercase()
                    }
                })
                .collect()
        }
        _ => return None,
    };
    Some(
        marked
            .into_iter()
            .map(|m| if m { '^' } else { ' ' })
            .collect(),
    )
}
