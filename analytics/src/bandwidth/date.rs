//! Calendar dates as the bandwidth data writes them, and their position in fractional years.

use std::fmt;
use std::str::FromStr;

use serde::{Serialize, Serializer};

/// A calendar date, written `YYYY-MM` or `YYYY-MM-DD` (a month-only date means its first day).
///
/// Growth rates need the distance between two dates in years. [`CalendarDate::fractional_year`]
/// counts whole months and the fraction of the month, so the same calendar day in two different
/// years is always a whole number of years apart (2008-11 to 2016-11 is exactly 8 years), which
/// keeps rates worked out by hand and by the code identical.
///
/// # Examples
///
/// ```
/// use btcaddr_analytics::bandwidth::CalendarDate;
/// let d: CalendarDate = "2008-11".parse()?;
/// assert_eq!(d, CalendarDate::new(2008, 11, 1)?);
/// assert_eq!(d.to_string(), "2008-11-01");
/// assert!((d.fractional_year() - (2008.0 + 10.0 / 12.0)).abs() < 1e-12);
/// # Ok::<(), btcaddr_analytics::bandwidth::DateError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CalendarDate {
    year: i32,
    month: u8,
    day: u8,
}

/// Why a text is not a date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// Not `YYYY-MM` or `YYYY-MM-DD` with digits.
    #[error("`{0}` is not a date (expected YYYY-MM or YYYY-MM-DD)")]
    Syntax(String),
    /// Month outside 1..=12.
    #[error("month {0} is not in 1..=12")]
    Month(u32),
    /// Day outside the month.
    #[error("day {day} is not in month {year}-{month:02}")]
    Day {
        /// The year.
        year: i32,
        /// The month.
        month: u8,
        /// The offending day.
        day: u32,
    },
}

impl CalendarDate {
    /// A checked date.
    ///
    /// # Examples
    ///
    /// ```
    /// use btcaddr_analytics::bandwidth::CalendarDate;
    /// assert!(CalendarDate::new(2016, 2, 29).is_ok());
    /// assert!(CalendarDate::new(2015, 2, 29).is_err());
    /// ```
    pub fn new(year: i32, month: u32, day: u32) -> Result<Self, DateError> {
        if !(1..=12).contains(&month) {
            return Err(DateError::Month(month));
        }
        let month = month as u8;
        if day == 0 || day > u32::from(days_in_month(year, month)) {
            return Err(DateError::Day { year, month, day });
        }
        Ok(CalendarDate {
            year,
            month,
            day: day as u8,
        })
    }

    /// The year.
    pub fn year(&self) -> i32 {
        self.year
    }

    /// The month, 1..=12.
    pub fn month(&self) -> u32 {
        u32::from(self.month)
    }

    /// The day of the month, from 1.
    pub fn day(&self) -> u32 {
        u32::from(self.day)
    }

    /// Position in years: `year + (month − 1 + (day − 1) / days_in_month) / 12`.
    ///
    /// # Examples
    ///
    /// ```
    /// use btcaddr_analytics::bandwidth::CalendarDate;
    /// let a = CalendarDate::new(2009, 2, 1)?;
    /// let b = CalendarDate::new(2014, 11, 1)?;
    /// assert!((b.fractional_year() - a.fractional_year() - 5.75).abs() < 1e-12);
    /// # Ok::<(), btcaddr_analytics::bandwidth::DateError>(())
    /// ```
    pub fn fractional_year(&self) -> f64 {
        let month_fraction =
            f64::from(self.day - 1) / f64::from(days_in_month(self.year, self.month));
        f64::from(self.year) + (f64::from(self.month - 1) + month_fraction) / 12.0
    }

    /// The UTC date of a Unix timestamp (seconds since 1970-01-01).
    ///
    /// # Examples
    ///
    /// ```
    /// use btcaddr_analytics::bandwidth::CalendarDate;
    /// // The genesis block's timestamp.
    /// assert_eq!(CalendarDate::from_unix(1_231_006_505).to_string(), "2009-01-03");
    /// ```
    pub fn from_unix(seconds: i64) -> Self {
        let (year, month, day) = civil_from_days(seconds.div_euclid(86_400));
        CalendarDate { year, month, day }
    }

    /// The first day of this date's month.
    pub fn month_start(&self) -> Self {
        CalendarDate { day: 1, ..*self }
    }

    /// `YYYY-MM`, the month this date falls in.
    pub fn month_label(&self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }
}

impl FromStr for CalendarDate {
    type Err = DateError;

    fn from_str(text: &str) -> Result<Self, DateError> {
        let syntax = || DateError::Syntax(text.to_string());
        let parts: Vec<&str> = text.trim().split('-').collect();
        let number = |part: &str, width: usize| -> Result<u32, DateError> {
            if part.len() != width || !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(syntax());
            }
            part.parse().map_err(|_| syntax())
        };
        let (year, month, day) = match parts.as_slice() {
            [y, m] => (number(y, 4)?, number(m, 2)?, 1),
            [y, m, d] => (number(y, 4)?, number(m, 2)?, number(d, 2)?),
            _ => return Err(syntax()),
        };
        // Four ASCII digits always fit an i32.
        CalendarDate::new(year as i32, month, day)
    }
}

impl fmt::Display for CalendarDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for CalendarDate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 → (year, month, day); Howard Hinnant's `civil_from_days`.
fn civil_from_days(days: i64) -> (i32, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year as i32, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_both_forms() {
        assert_eq!(
            "2016-11".parse::<CalendarDate>().unwrap(),
            CalendarDate::new(2016, 11, 1).unwrap()
        );
        assert_eq!(
            "2016-11-15".parse::<CalendarDate>().unwrap(),
            CalendarDate::new(2016, 11, 15).unwrap()
        );
    }

    #[test]
    fn rejects_bad_dates() {
        for bad in [
            "2016",
            "2016-13",
            "2016-00",
            "16-11",
            "2016-1",
            "2016-11-31",
            "Nov 2016",
            "2016-11-01-02",
            "",
        ] {
            assert!(bad.parse::<CalendarDate>().is_err(), "{bad}");
        }
    }

    #[test]
    fn unix_dates() {
        assert_eq!(CalendarDate::from_unix(0).to_string(), "1970-01-01");
        assert_eq!(
            CalendarDate::from_unix(951_782_400).to_string(),
            "2000-02-29"
        );
        assert_eq!(
            CalendarDate::from_unix(1_700_000_000).to_string(),
            "2023-11-14"
        );
        assert_eq!(CalendarDate::from_unix(-1).to_string(), "1969-12-31");
    }

    #[test]
    fn same_day_whole_years_apart() {
        let a = CalendarDate::new(2008, 11, 1).unwrap().fractional_year();
        let b = CalendarDate::new(2016, 11, 1).unwrap().fractional_year();
        assert_eq!(b - a, 8.0);
    }
}
