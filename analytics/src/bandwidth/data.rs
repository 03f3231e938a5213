//! Bandwidth data files: dated speed levels and yearly growth figures, read from CSV.
//!
//! The format (documented for users in `notebooks-data/bandwidth/README.md`): a header row naming
//! the columns, in any order, then one observation per row.
//!
//! | column | required | meaning |
//! | --- | --- | --- |
//! | `date` | yes | `YYYY-MM` or `YYYY-MM-DD`; for a growth row, the end of the year it covers |
//! | `series` | yes | name; rows with the same name form one series |
//! | `value` | yes | a level (> 0) or a growth figure in percent a year (> −100) |
//! | `unit` | yes | the level's unit (e.g. `Mbit/s`), or `%/yr` for a growth row |
//! | `kind` | no | `level` (default) or `growth` |
//! | `source` | no | where the figure comes from |
//!
//! Lines starting with `#` are comments. Every series must keep one kind and one unit.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::date::{CalendarDate, DateError};

/// What a row's value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SeriesKind {
    /// A measured level at a date, e.g. an average speed in Mbit/s.
    Level,
    /// A growth figure in percent over the year ending at the date.
    Growth,
}

impl fmt::Display for SeriesKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SeriesKind::Level => "level",
            SeriesKind::Growth => "growth",
        })
    }
}

/// The unit every growth row must carry.
pub const GROWTH_UNIT: &str = "%/yr";

/// What is wrong with one row (or the header) of a data file.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RowProblem {
    /// The header lacks a required column.
    #[error("the header has no `{0}` column (need date, series, value, unit)")]
    MissingColumn(&'static str),
    /// A required field is empty or absent.
    #[error("{0} is missing")]
    MissingField(&'static str),
    /// The date does not parse.
    #[error("bad date: {0}")]
    Date(#[from] DateError),
    /// The value is not a number.
    #[error("value `{0}` is not a number")]
    Value(String),
    /// A level must be positive (a speed cannot be zero or negative).
    #[error("level {0} must be a positive number")]
    NonPositiveLevel(f64),
    /// A growth figure must be above −100%.
    #[error("growth {0}% must be above -100%")]
    GrowthOutOfRange(f64),
    /// `kind` is neither `level` nor `growth`.
    #[error("kind `{0}` is neither `level` nor `growth`")]
    Kind(String),
    /// A growth row with another unit than `%/yr`.
    #[error("a growth row's unit must be `%/yr`, not `{0}`")]
    GrowthUnit(String),
    /// The series was first seen with another kind or unit.
    #[error("series `{series}` was {kind} in {unit} at {first}; this row differs")]
    Inconsistent {
        /// Series name.
        series: String,
        /// Kind at first sight.
        kind: SeriesKind,
        /// Unit at first sight.
        unit: String,
        /// `file:line` of the first row.
        first: String,
    },
    /// Two rows of one series at the same date.
    #[error("series `{series}` already has a value at {date} ({first})")]
    DuplicateDate {
        /// Series name.
        series: String,
        /// The repeated date.
        date: CalendarDate,
        /// `file:line` of the first row.
        first: String,
    },
    /// A level series with a single point: no rate can be computed.
    #[error("series `{0}` has one level; a growth rate needs at least two dates")]
    SingleLevel(String),
    /// The CSV itself is malformed (e.g. an unterminated quote).
    #[error("malformed CSV: {0}")]
    Csv(String),
}

/// Why bandwidth data could not be read.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    /// A row (or the header) is wrong: names the file and line.
    #[error("{file}:{line}: {problem}")]
    Row {
        /// The file, as given.
        file: String,
        /// 1-based line number.
        line: u64,
        /// What is wrong.
        problem: RowProblem,
    },
    /// A file or folder could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A folder with no `.csv` file in it.
    #[error("{0}: no .csv files in this folder")]
    NoFiles(PathBuf),
}

/// One dated value of a series.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Point {
    /// When.
    pub date: CalendarDate,
    /// The level, or the growth as a fraction (0.23 for 23%) in a growth series.
    pub value: f64,
    /// Where it comes from (the row's `source`, may be empty).
    pub source: String,
}

/// A named series: all rows of one name, sorted by date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Series {
    /// Name from the `series` column.
    pub name: String,
    /// Level or growth.
    pub kind: SeriesKind,
    /// Unit of the levels (`%/yr` for growth series).
    pub unit: String,
    /// Points in date order.
    pub points: Vec<Point>,
    /// `file:line` of the series' first row, for messages.
    pub origin: String,
}

/// Every series read from one or more data files, in order of first appearance.
///
/// # Examples
///
/// ```
/// use btcaddr_analytics::bandwidth::{BandwidthData, SeriesKind};
/// let mut data = BandwidthData::default();
/// data.add_csv("mine.csv", "date,series,value,unit\n2020-01,home,50,Mbit/s\n2024-01,home,200,Mbit/s\n")?;
/// let data = data.finish()?;
/// assert_eq!(data.series()[0].kind, SeriesKind::Level);
/// assert_eq!(data.series()[0].points.len(), 2);
/// # Ok::<(), btcaddr_analytics::bandwidth::DataError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct BandwidthData {
    series: Vec<Series>,
    #[serde(skip)]
    index: HashMap<String, usize>,
}

/// The shipped files of `notebooks-data/bandwidth/`, compiled in so the command works anywhere.
const SHIPPED: [(&str, &str); 3] = [
    (
        "notebooks-data/bandwidth/ofcom-uk-fixed-broadband.csv",
        include_str!("../../../notebooks-data/bandwidth/ofcom-uk-fixed-broadband.csv"),
    ),
    (
        "notebooks-data/bandwidth/akamai-global-growth.csv",
        include_str!("../../../notebooks-data/bandwidth/akamai-global-growth.csv"),
    ),
    (
        "notebooks-data/bandwidth/estimates-2015.csv",
        include_str!("../../../notebooks-data/bandwidth/estimates-2015.csv"),
    ),
];

impl BandwidthData {
    /// The data shipped in `notebooks-data/bandwidth/` (OFCOM, Akamai and the 2015 estimates).
    ///
    /// # Examples
    ///
    /// ```
    /// let data = btcaddr_analytics::bandwidth::BandwidthData::shipped();
    /// assert!(data.get("OFCOM UK download").is_some());
    /// ```
    pub fn shipped() -> Self {
        let mut data = BandwidthData::default();
        for (name, text) in SHIPPED {
            if let Err(e) = data.add_csv(name, text) {
                // The files are compiled in and covered by tests; a failure is a build defect.
                unreachable!("shipped bandwidth data is invalid: {e}");
            }
        }
        match data.finish() {
            Ok(data) => data,
            Err(e) => unreachable!("shipped bandwidth data is invalid: {e}"),
        }
    }

    /// Reads every `*.csv` file of `dir`, in file-name order.
    pub fn from_dir(dir: &Path) -> Result<Self, DataError> {
        let io = |source| DataError::Io {
            path: dir.to_path_buf(),
            source,
        };
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(io)? {
            let path = entry.map_err(io)?.path();
            if path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
                && path.is_file()
            {
                files.push(path);
            }
        }
        if files.is_empty() {
            return Err(DataError::NoFiles(dir.to_path_buf()));
        }
        files.sort();
        let mut data = BandwidthData::default();
        for path in files {
            let text = std::fs::read_to_string(&path).map_err(|source| DataError::Io {
                path: path.clone(),
                source,
            })?;
            data.add_csv(&path.display().to_string(), &text)?;
        }
        data.finish()
    }

    /// Adds the rows of one CSV text; `file` names it in error messages.
    pub fn add_csv(&mut self, file: &str, text: &str) -> Result<(), DataError> {
        let row_error = |line: u64, problem| DataError::Row {
            file: file.to_string(),
            line,
            problem,
        };
        let mut reader = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .comment(Some(b'#'))
            .flexible(true)
            .from_reader(text.as_bytes());
        let header = reader
            .headers()
            .map_err(|e| {
                row_error(
                    line_of(text, &e).unwrap_or(1),
                    RowProblem::Csv(e.to_string()),
                )
            })?
            .clone();
        let header_line = header.position().map_or(1, |p| line_at(text, p.byte()));
        let column = |name: &'static str| header.iter().position(|h| h.eq_ignore_ascii_case(name));
        let required = |name: &'static str| {
            column(name).ok_or_else(|| row_error(header_line, RowProblem::MissingColumn(name)))
        };
        let (date_col, series_col) = (required("date")?, required("series")?);
        let (value_col, unit_col) = (required("value")?, required("unit")?);
        let (kind_col, source_col) = (column("kind"), column("source"));

        for record in reader.records() {
            let record = record.map_err(|e| {
                row_error(
                    line_of(text, &e).unwrap_or(0),
                    RowProblem::Csv(e.to_string()),
                )
            })?;
            let line = record.position().map_or(0, |p| line_at(text, p.byte()));
            if record.iter().all(str::is_empty) {
                continue;
            }
            let field = |col: Option<usize>| col.and_then(|c| record.get(c)).unwrap_or("");
            let need = |col: usize, name: &'static str| match field(Some(col)) {
                "" => Err(row_error(line, RowProblem::MissingField(name))),
                text => Ok(text),
            };
            let date: CalendarDate = need(date_col, "date")?
                .parse()
                .map_err(|e: DateError| row_error(line, e.into()))?;
            let name = need(series_col, "series")?;
            let value_text = need(value_col, "value")?;
            let value: f64 = value_text
                .parse()
                .ok()
                .filter(|v: &f64| v.is_finite())
                .ok_or_else(|| row_error(line, RowProblem::Value(value_text.to_string())))?;
            let unit = need(unit_col, "unit")?;
            let kind = match field(kind_col) {
                "" | "level" => SeriesKind::Level,
                "growth" => SeriesKind::Growth,
                other => return Err(row_error(line, RowProblem::Kind(other.to_string()))),
            };
            let value = match kind {
                SeriesKind::Level if value > 0.0 => value,
                SeriesKind::Level => {
                    return Err(row_error(line, RowProblem::NonPositiveLevel(value)))
                }
                SeriesKind::Growth if unit != GROWTH_UNIT => {
                    return Err(row_error(line, RowProblem::GrowthUnit(unit.to_string())))
                }
                SeriesKind::Growth if value > -100.0 => value / 100.0,
                SeriesKind::Growth => {
                    return Err(row_error(line, RowProblem::GrowthOutOfRange(value)))
                }
            };
            let point = Point {
                date,
                value,
                source: field(source_col).to_string(),
            };
            self.push(name, kind, unit, point, format!("{file}:{line}"))
                .map_err(|problem| row_error(line, problem))?;
        }
        Ok(())
    }

    fn push(
        &mut self,
        name: &str,
        kind: SeriesKind,
        unit: &str,
        point: Point,
        origin: String,
    ) -> Result<(), RowProblem> {
        let Some(&i) = self.index.get(name) else {
            self.index.insert(name.to_string(), self.series.len());
            self.series.push(Series {
                name: name.to_string(),
                kind,
                unit: unit.to_string(),
                points: vec![point],
                origin,
            });
            return Ok(());
        };
        let series = &mut self.series[i];
        if series.kind != kind || series.unit != unit {
            return Err(RowProblem::Inconsistent {
                series: series.name.clone(),
                kind: series.kind,
                unit: series.unit.clone(),
                first: series.origin.clone(),
            });
        }
        if series.points.iter().any(|p| p.date == point.date) {
            return Err(RowProblem::DuplicateDate {
                series: series.name.clone(),
                date: point.date,
                first: series.origin.clone(),
            });
        }
        series.points.push(point);
        Ok(())
    }

    /// Checks what needs every file (each level series has two dates) and sorts points by date.
    pub fn finish(mut self) -> Result<Self, DataError> {
        for series in &mut self.series {
            series.points.sort_by_key(|p| p.date);
            if series.kind == SeriesKind::Level && series.points.len() < 2 {
                let (file, line) = split_origin(&series.origin);
                return Err(DataError::Row {
                    file,
                    line,
                    problem: RowProblem::SingleLevel(series.name.clone()),
                });
            }
        }
        Ok(self)
    }

    /// All series, in order of first appearance.
    pub fn series(&self) -> &[Series] {
        &self.series
    }

    /// The series of this name.
    pub fn get(&self, name: &str) -> Option<&Series> {
        self.index.get(name).map(|&i| &self.series[i])
    }
}

fn line_of(text: &str, error: &csv::Error) -> Option<u64> {
    error.position().map(|p| line_at(text, p.byte()))
}

/// 1-based line of the record starting at a byte offset. csv's own line counter skips blank
/// lines, and its offsets point before skipped blank and comment lines: step over those.
fn line_at(text: &str, byte: u64) -> u64 {
    let mut pos = usize::try_from(byte).unwrap_or(usize::MAX).min(text.len());
    let mut line = 1 + text.as_bytes()[..pos]
        .iter()
        .filter(|&&b| b == b'\n')
        .count() as u64;
    loop {
        let rest = &text[pos..];
        let skipped = if rest.starts_with('\n') {
            1
        } else if rest.starts_with("\r\n") {
            2
        } else if rest.starts_with('#') {
            match rest.find('\n') {
                Some(i) => i + 1,
                None => break,
            }
        } else {
            break;
        };
        pos += skipped;
        line += 1;
    }
    line
}

fn split_origin(origin: &str) -> (String, u64) {
    match origin.rsplit_once(':') {
        Some((file, line)) => (file.to_string(), line.parse().unwrap_or(0)),
        None => (origin.to_string(), 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<BandwidthData, DataError> {
        let mut data = BandwidthData::default();
        data.add_csv("t.csv", text)?;
        data.finish()
    }

    fn message(text: &str) -> String {
        read(text).unwrap_err().to_string()
    }

    #[test]
    fn shipped_data_reads() {
        let data = BandwidthData::shipped();
        let names: Vec<&str> = data.series().iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "OFCOM UK download",
                "OFCOM UK upload",
                "Akamai global average",
                "Akamai estimate (2015)",
                "OFCOM estimate (2015)"
            ]
        );
        let akamai = data.get("Akamai global average").unwrap();
        assert_eq!(akamai.kind, SeriesKind::Growth);
        assert_eq!(
            akamai.points.iter().map(|p| p.value).collect::<Vec<_>>(),
            [0.23, 0.15]
        );
    }

    #[test]
    fn line_numbers_count_comments_and_header() {
        let text = "# my data\ndate,series,value,unit\n2020-01,a,1,x\n\n2021-01,a,,x\n";
        assert_eq!(message(text), "t.csv:5: value is missing");
    }

    #[test]
    fn short_rows_are_missing_fields() {
        assert_eq!(
            message("date,series,value,unit\n2020-01,a,1\n"),
            "t.csv:2: unit is missing"
        );
    }

    #[test]
    fn row_problems() {
        let head = "date,series,kind,value,unit\n";
        let cases = [
            (
                "2020-13,a,level,1,x",
                "t.csv:2: bad date: month 13 is not in 1..=12",
            ),
            (
                "Nov 2008,a,level,1,x",
                "t.csv:2: bad date: `Nov 2008` is not a date (expected YYYY-MM or YYYY-MM-DD)",
            ),
            (
                "2020-01,a,level,-3,x",
                "t.csv:2: level -3 must be a positive number",
            ),
            (
                "2020-01,a,level,fast,x",
                "t.csv:2: value `fast` is not a number",
            ),
            (
                "2020-01,a,speed,1,x",
                "t.csv:2: kind `speed` is neither `level` nor `growth`",
            ),
            (
                "2020-01,a,growth,5,%",
                "t.csv:2: a growth row's unit must be `%/yr`, not `%`",
            ),
            (
                "2020-01,a,growth,-100,%/yr",
                "t.csv:2: growth -100% must be above -100%",
            ),
        ];
        for (row, expected) in cases {
            assert_eq!(message(&format!("{head}{row}\n")), expected);
        }
    }

    #[test]
    fn series_rules() {
        let head = "date,series,kind,value,unit\n";
        assert_eq!(
            message(&format!("{head}2020-01,a,level,1,x\n2021-01,a,level,2,y\n")),
            "t.csv:3: series `a` was level in x at t.csv:2; this row differs"
        );
        assert_eq!(
            message(&format!(
                "{head}2020-01,a,level,1,x\n2020-01-01,a,level,2,x\n"
            )),
            "t.csv:3: series `a` already has a value at 2020-01-01 (t.csv:2)"
        );
        assert_eq!(
            message(&format!("{head}2020-01,a,level,1,x\n")),
            "t.csv:2: series `a` has one level; a growth rate needs at least two dates"
        );
        assert_eq!(
            message("date,series,unit\n"),
            "t.csv:1: the header has no `value` column (need date, series, value, unit)"
        );
    }

    #[test]
    fn points_sorted_and_growth_as_fraction() {
        let data = read("series,date,value,unit,kind\nb,2021-01,10,%/yr,growth\na,2020-06,2,x,\na,2019-06,1,x,level\n")
            .unwrap();
        let a = data.get("a").unwrap();
        assert_eq!(a.points[0].date.to_string(), "2019-06-01");
        assert_eq!(data.get("b").unwrap().points[0].value, 0.1);
    }
}
