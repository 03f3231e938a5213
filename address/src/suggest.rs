//! Proposing corrections for a mistyped address: an explicit operation, never part of decoding.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use crate::zbase32::{self, ALPHABET};
use crate::{damm, GenericAddress, Network};

/// The longest input, in letters after the colon, that [`suggest`] searches: 200 letters carry a
/// 120-byte script, and every candidate that passes the Damm screen (about two per letter) costs
/// a full check of the whole string, so the work grows with the square of the length.
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

impl Edit {
    /// A stable snake_case name for the kind of edit, the same in every language binding.
    ///
    /// ```
    /// assert_eq!(btcaddr::Edit::Transposition { index: 5 }.kind(), "transposition");
    /// ```
    pub fn kind(&self) -> &'static str {
        match self {
            Edit::Substitution { .. } => "substitution",
            Edit::Transposition { .. } => "transposition",
            Edit::Confusion { .. } => "confusion",
            Edit::Deletion { .. } => "deletion",
            Edit::Insertion { .. } => "insertion",
            Edit::Lowercase => "lowercase",
        }
    }

    /// The character index the edit is at (in the input; for an insertion, in the candidate),
    /// or `None` for [`Edit::Lowercase`], which touches every letter of the rarer case.
    ///
    /// ```
    /// use btcaddr::Edit;
    /// assert_eq!(Edit::Deletion { index: 9, removed: 'y' }.index(), Some(9));
    /// assert_eq!(Edit::Lowercase.index(), None);
    /// ```
    pub fn index(&self) -> Option<usize> {
        match *self {
            Edit::Substitution { index, .. }
            | Edit::Transposition { index }
            | Edit::Confusion { index, .. }
            | Edit::Deletion { index, .. }
            | Edit::Insertion { index, .. } => Some(index),
            Edit::Lowercase => None,
        }
    }
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
/// gets no suggestions. Each of the ~65 one-edit candidates per letter is first screened in
/// constant time by its Damm letter; the survivors are checked in full. The search is bounded
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
    search(input, true)
}

/// The search behind [`suggest`]; `screened: false` tries every candidate in full (the reference
/// the screened search is tested against).
fn search(input: &str, screened: bool) -> Vec<Suggestion> {
    let mut found: Vec<Suggestion> = Vec::new();
    if crate::is_valid(input) {
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
    let prefix = &input[..colon];
    let letters: Vec<char> = input[colon + 1..].chars().collect();
    let offset = prefix.chars().count() + 1;
    let alphabet: Vec<char> = ALPHABET
        .chars()
        .map(|c| if upper { c.to_ascii_uppercase() } else { c })
        .collect();

    let screen = DammScreen::new(&letters);
    let mut candidate = String::with_capacity(input.len() + 4);
    let mut try_candidate = |chars: &[char], edit: Edit, found: &mut Vec<Suggestion>| {
        candidate.clear();
        candidate.push_str(prefix);
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
            let to = if upper { to.to_ascii_uppercase() } else { to };
            if !screened || screen.substitution(i, to) {
                work[i] = to;
                try_candidate(&work, Edit::Confusion { index, from: c, to }, &mut found);
            }
        }
        for &to in &alphabet {
            if to != c && (!screened || screen.substitution(i, to)) {
                work[i] = to;
                try_candidate(&work, Edit::Substitution { index, from: c, to }, &mut found);
            }
        }
        work[i] = c;
    }
    for i in 0..letters.len().saturating_sub(1) {
        if letters[i] != letters[i + 1] && (!screened || screen.transposition(i)) {
            work.swap(i, i + 1);
            try_candidate(&work, Edit::Transposition { index: offset + i }, &mut found);
            work.swap(i, i + 1);
        }
    }
    for i in 0..letters.len() {
        if screened && !screen.deletion(i) {
            continue;
        }
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
            if screened && !screen.insertion(i, inserted) {
                continue;
            }
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

/// Screens one-edit candidates in O(1) each, before any string is built: a candidate can only be
/// valid if every letter is in the alphabet and its Damm interim is 0.
///
/// The interim is linear over GF(2^5): `fold(s, a‖b) = x^|b|·fold(s, a) ⊕ fold(0, b)`, so with
/// the interims of every prefix (from 0) and every suffix (from 0) an edited string's interim is a
/// few table look-ups. Passing the screen is necessary, not sufficient: survivors are still
/// verified in full.
struct DammScreen {
    /// Letter values (either case); 0 stands in for a character outside the alphabet.
    values: Vec<u8>,
    /// `prefix[i]`: interim of the first i letters.
    prefix: Vec<u8>,
    /// `suffix[i]`: interim of the letters from i on, starting from 0.
    suffix: Vec<u8>,
    /// Positions of the characters outside the alphabet.
    invalid: Vec<usize>,
    /// `times_x_pow[k][v]` = x^k · v.
    times_x_pow: Vec<[u8; 32]>,
}

impl DammScreen {
    fn new(letters: &[char]) -> DammScreen {
        let n = letters.len();
        let mut values = Vec::with_capacity(n);
        let mut invalid = Vec::new();
        for (i, c) in letters.iter().enumerate() {
            match letter_value(*c) {
                Some(v) => values.push(v),
                None => {
                    values.push(0);
                    invalid.push(i);
                }
            }
        }
        let mut prefix = Vec::with_capacity(n + 1);
        prefix.push(0);
        for &v in &values {
            prefix.push(damm::op(prefix[prefix.len() - 1], v));
        }
        let mut suffix = alloc::vec![0u8; n + 1];
        // fold(0, v‖b) = x^|b|·v ⊕ fold(0, b): built from the end with the power table.
        let mut times_x_pow: Vec<[u8; 32]> = Vec::with_capacity(n + 2);
        let mut row = core::array::from_fn(|v| v as u8);
        for _ in 0..n + 2 {
            times_x_pow.push(row);
            row = row.map(|v| damm::op(v, 0));
        }
        for i in (0..n).rev() {
            suffix[i] = times_x_pow[n - 1 - i][usize::from(values[i])] ^ suffix[i + 1];
        }
        DammScreen {
            values,
            prefix,
            suffix,
            invalid,
            times_x_pow,
        }
    }

    /// Whether every character outside the alphabet is at one of `positions`.
    fn invalid_only_at(&self, positions: &[usize]) -> bool {
        self.invalid.iter().all(|i| positions.contains(i))
    }

    /// The interim of `prefix[i]` extended by `middle`, followed by the letters from `rest` on.
    fn interim(&self, i: usize, middle: &[u8], rest: usize) -> u8 {
        let r = middle.iter().fold(self.prefix[i], |r, &v| damm::op(r, v));
        let tail = self.values.len() - rest;
        self.times_x_pow[tail][usize::from(r)] ^ self.suffix[rest]
    }

    fn substitution(&self, i: usize, to: char) -> bool {
        match letter_value(to) {
            Some(v) => self.invalid_only_at(&[i]) && self.interim(i, &[v], i + 1) == 0,
            None => false,
        }
    }

    fn transposition(&self, i: usize) -> bool {
        self.invalid.is_empty()
            && self.interim(i, &[self.values[i + 1], self.values[i]], i + 2) == 0
    }

    fn deletion(&self, i: usize) -> bool {
        self.invalid_only_at(&[i]) && self.interim(i, &[], i + 1) == 0
    }

    fn insertion(&self, i: usize, inserted: char) -> bool {
        match letter_value(inserted) {
            Some(v) => self.invalid.is_empty() && self.interim(i, &[v], i) == 0,
            None => false,
        }
    }
}

/// The value of a letter of either case.
fn letter_value(c: char) -> Option<u8> {
    u8::try_from(c.to_ascii_lowercase())
        .ok()
        .and_then(zbase32::value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn interim_of(letters: &[char]) -> Option<u8> {
        letters
            .iter()
            .try_fold(0u8, |r, &c| letter_value(c).map(|v| damm::op(r, v)))
    }

    proptest! {
        /// The O(1) interims equal a direct fold over the edited letters.
        #[test]
        fn screen_matches_direct_interims(s in "[ybndrfg8ejkmcpqxot1uwisza345h769Y0]{0,70}", w in 0usize..32) {
            let letters: Vec<char> = s.chars().collect();
            let screen = DammScreen::new(&letters);
            let to = char::from(ALPHABET.as_bytes()[w]);
            for i in 0..=letters.len() {
                let mut longer = letters.clone();
                longer.insert(i, to);
                prop_assert_eq!(screen.insertion(i, to), interim_of(&longer) == Some(0));
                if i == letters.len() {
                    break;
                }
                let mut edited = letters.clone();
                edited[i] = to;
                prop_assert_eq!(screen.substitution(i, to), interim_of(&edited) == Some(0));
                let mut shorter = letters.clone();
                shorter.remove(i);
                prop_assert_eq!(screen.deletion(i), interim_of(&shorter) == Some(0));
                if i + 1 < letters.len() {
                    let mut swapped = letters.clone();
                    swapped.swap(i, i + 1);
                    prop_assert_eq!(screen.transposition(i), interim_of(&swapped) == Some(0));
                }
            }
        }

        /// Screening changes nothing but the speed: the same suggestions, in the same order, as
        /// trying every candidate in full.
        #[test]
        fn screened_search_equals_full_search(script in prop::collection::vec(any::<u8>(), 1..=34), pos in any::<prop::sample::Index>(), edit in 0u8..4, w in 0usize..32, upper in any::<bool>()) {
            let good = crate::encode(Network::Btc, &script).unwrap();
            let mut letters: Vec<char> = good[4..].chars().collect();
            let i = pos.index(letters.len());
            let c = char::from(ALPHABET.as_bytes()[w]);
            match edit {
                0 => letters[i] = c,
                1 => { letters.remove(i); }
                2 => letters.insert(i, c),
                _ => letters[i] = '0',
            }
            let mut typo: String = "btc:".chars().chain(letters).collect();
            if upper {
                typo.make_ascii_uppercase();
            }
            prop_assert_eq!(search(&typo, true), search(&typo, false));
        }
    }
}
