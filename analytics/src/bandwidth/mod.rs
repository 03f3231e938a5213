//! Bandwidth growth beside the chain's own growth: the 2017 broadband analysis as data and numbers.
//!
//! Data flows one way: CSV files ([`data`]) → growth rates ([`rates`], using the arithmetic of
//! [`growth`]) → report and charts. The chain's growth comes from a node ([`chain`]).

pub mod chain;
pub mod charts;
pub mod data;
pub mod date;
pub mod growth;
pub mod rates;
pub mod report;
pub mod sampler;

pub use data::{BandwidthData, DataError, Point, RowProblem, Series, SeriesKind};
pub use date::{CalendarDate, DateError};
pub use growth::{cagr, combine_annual, value_after, years_until, GrowthError, LogLinearFit};
pub use rates::{
    BandwidthGrowth, CombinedGrowth, IntervalGrowth, LevelGrowth, Measure, Rate, RatesError,
};
