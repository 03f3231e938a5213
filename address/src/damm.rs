//! The Damm check letter over the 32-element quasigroup `a * b = (x·a) XOR b` in GF(2^5).

/// Multiplies `a` by the generator x in GF(2^5) with modulus x^5 + x^2 + 1.
#[inline]
const fn times_x(a: u8) -> u8 {
    let shifted = a << 1;
    if shifted & 0b10_0000 != 0 {
        shifted ^ 0b10_0101
    } else {
        shifted
    }
}

/// The quasigroup operation `a * b`.
///
/// ```
/// // Totally anti-symmetric: (c*a)*b == (c*b)*a only when a == b.
/// use btcaddr::damm::op;
/// assert_ne!(op(op(0, 3), 5), op(op(0, 5), 3));
/// ```
#[inline]
pub const fn op(a: u8, b: u8) -> u8 {
    times_x(a) ^ b
}

/// The interim value after a run of letter values, starting from 0.
///
/// ```
/// assert_eq!(btcaddr::damm::interim([1u8, 2, 3]), 3); // 0*1 = 1, 1*2 = 0, 0*3 = 3
/// ```
pub fn interim(values: impl IntoIterator<Item = u8>) -> u8 {
    values.into_iter().fold(0, op)
}

/// The check value that brings interim `r` to 0.
///
/// ```
/// use btcaddr::damm::{check_value, interim, op};
/// let r = interim([7u8, 0, 31]);
/// assert_eq!(op(r, check_value(r)), 0);
/// ```
#[inline]
pub const fn check_value(r: u8) -> u8 {
    times_x(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_a_quasigroup_with_zero_diagonal_check() {
        for a in 0..32u8 {
            let mut row = [false; 32];
            for b in 0..32u8 {
                row[usize::from(op(a, b))] = true;
            }
            assert!(row.iter().all(|&seen| seen), "row {a} is not a permutation");
            assert_eq!(op(a, check_value(a)), 0);
        }
    }

    #[test]
    fn totally_anti_symmetric() {
        for c in 0..32u8 {
            for a in 0..32u8 {
                for b in 0..32u8 {
                    if a != b {
                        assert_ne!(op(op(c, a), b), op(op(c, b), a), "c={c} a={a} b={b}");
                    }
                }
            }
        }
    }
}
