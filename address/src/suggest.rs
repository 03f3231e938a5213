//! Proposing corrections for a mistyped address: an explicit operation, never part of decoding.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use crate::zbase32::ALPHABET;
use crate::{codec, GenericAddress, Network};

/// The longest input, in letters after the colon, that [`suggest`] searches: 200 letters carry a
/// 120-byte script, and the search costs a few thousand decodes per letter.
pub const MAX_SUGGEST_LETTERS: usize = 200;

/// Characters outside the alphabet that people type for a letter inside it.
const CONFUSIONS: [(char, char); 5] = [('0', 'o'), ('l', '1'), ('v', 'u'), ('2', 'z'), ('L', '1')];

/// One edit that turns the input into a valid address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    /// The letter at `index` was replaced.
    Substitution {
        /// Position (character index in the whole string).
        index: usize,
        /// What the input had.
        from: char,
        /// What the candidate has.
        to: char,
    },
    /// The letters at `index` and `index + 1` were swapped.
    Transposition {
        /// Position of the first of the two.
        index: usize,
    },
    /// A character outside the alphabet was read as the letter it is commonly confused with.
    Confusion {
        /// Position.
        index: usize,
        /// The character typed (e.g. `0`).
        from: char,
        /// The alphabet letter meant (e.g. `o`).
        to: char,
    },
    /// A character at `index` was dropped from the input.
    Deletion {
        /// Position in the input.
        index: usize,
        /// The removed character.
        removed: char,
    },
    /// A missing letter was inserted at `index`.
    Insertion {
        /// Position in the candidate.
        index: usize,
        /// The inserted letter.
        inserted: char,
    },
    /// The input mixed upper and lower case; the candidate is all lowercase.
    Lowercase,
}

impl fmt::Display for Edit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Edit::Substitution { index, from, to } => {
                write!(f, "position {index}: {from:?} replaced by {to:?}")
            }
            Edit::Transposition { index } => {
                write!(f, "positions {index} and {}: swapped", index + 1)
            }
            Edit::Confusion { index, from, to } => {
                write!(
                    f,
                    "position {index}: {from:?} read as {to:?} (a common confusion)"
                )
            }
            Edit::Deletion { index, removed } => {
                write!(f, "position {index}: extra {removed:?} removed")
            }
            Edit::Insertion { index, inserted } => {
                write!(f, "position {index}: missing {inserted:?} inserted")
            }
            Edit::Lowercase => f.write_str("mixed case written all in lowercase"),
        }
    }
}

/// A candidate correction: a string that passes both the Damm and the CRC check, and the edit
/// that produced it. Only a guess: confirm with whoever gave you the address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    /// The decoded candidate.
    pub address: GenericAddress,
    /// What was changed, and where.
    pub edit: Edit,
}

/// Candidates one edit away from `input` that pass both checks: one substitution, one adjacent
/// transposition, one common confusion (`0`/`o`, `l`/`1`, `v`/`u`, `2`/`z`), one deleted or
/// inserted letter, or mixed case lowercased. Empty when `input` is already valid.
///
/// Searches only the letters after the colon: the prefix is not guessed, and an unknown prefix
/// gets no suggestions. The search tries a few thousand candidates per letter, so it is bounded
/// to inputs of at most [`MAX_SUGGEST_LETTERS`] letters after the colon (a 120-byte script; every
/// standard address is far shorter): longer inputs, which nobody types by hand, get none.
///
/// ```
/// use btcaddr::{encode, suggest, Network, suggest::Edit};
/// let good = encode(Network::Btc, &[0x00, 0x14, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]).unwrap();
/// // Swap two neighbouring letters.
/// let mut chars: Vec<char> = good.chars().collect();
/// chars.swap(10, 11);
/// let typo: String = chars.into_iter().collect();
/// # if typo != good {
/// let found = suggest(&typo);
/// assert!(found.iter().any(|s| s.address.to_string() == good && s.edit == Edit::Transposition { index: 10 }));
/// # }
/// ```
pub fn suggest(input: &str) -> Vec<Suggestion> {
    let mut found: Vec<Suggestion> = Vec::new();
    if codec::parse(input).is_ok() && crate::is_valid(input) {
        return found;
    }
    let Some(colon) = input.find(':') else {
        return found;
    };
    if Network::from_prefix_ignore_case(&input[..colon]).is_none()
        || input[colon + 1..].chars().count() > MAX_SUGGEST_LETTERS
    {
        return found;
    }
    let upper = input.bytes().any(|b| b.is_ascii_uppercase())
        && !input.bytes().any(|b| b.is_ascii_lowercase());
    let prefix: String = input[..colon].chars().collect();
    let letters: Vec<char> = input[colon + 1..].chars().collect();
    let offset = prefix.chars().count() + 1;
    let alphabet: Vec<char> = ALPHABET
        .chars()
        .map(|c| if upper { c.to_ascii_uppercase() } else { c })
        .collect();

    let mut candidate = String::with_capacity(input.len() + 4);
    let mut try_candidate = |chars: &[char], edit: Edit, found: &mut Vec<Suggestion>| {
        candidate.clear();
        candidate.push_str(&prefix);
        candidate.push(':');
        candidate.extend(chars.iter());
        // The allocation-free check first: nearly every candidate fails it.
        if crate::verify(&candidate).is_err() {
            return;
        }
        if let Ok(address) = crate::decode(&candidate) {
            if !found.iter().any(|s| s.address == address) {
                found.push(Suggestion { address, edit });
            }
        }
    };

    let mut work = letters.clone();
    for (i, &c) in letters.iter().enumerate() {
        let index = offset + i;
        if let Some(&(_, to)) = CONFUSIONS.iter().find(|(from, _)| *from == c) {
            work[i] = if upper { to.to_ascii_uppercase() } else { to };
            try_candidate(
                &work,
                Edit::Confusion {
                    index,
                    from: c,
                    to: work[i],
                },
                &mut found,
            );
        }
        for &to in &alphabet {
            if to != c {
                work[i] = to;
                try_candidate(&work, Edit::Substitution { index, from: c, to }, &mut found);
            }
        }
        work[i] = c;
    }
    for i in 0..letters.len().saturating_sub(1) {
        if letters[i] != letters[i + 1] {
            work.swap(i, i + 1);
            try_candidate(&work, Edit::Transposition { index: offset + i }, &mut found);
            work.swap(i, i + 1);
        }
    }
    for i in 0..letters.len() {
        let mut shorter = letters.clone();
        let removed = shorter.remove(i);
        try_candidate(
            &shorter,
            Edit::Deletion {
                index: offset + i,
                removed,
            },
            &mut found,
        );
    }
    for i in 0..=letters.len() {
        for &inserted in &alphabet {
            let mut longer = letters.clone();
            longer.insert(i, inserted);
            try_candidate(
                &longer,
                Edit::Insertion {
                    index: offset + i,
                    inserted,
                },
                &mut found,
            );
        }
    }
    let lower = input.to_lowercase();
    if lower != input {
        if let Ok(address) = crate::decode(&lower) {
            if !found.iter().any(|s| s.address == address) {
                found.push(Suggestion {
                    address,
                    edit: Edit::Lowercase,
                });
            }
        }
    }
    found
}
