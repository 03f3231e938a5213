//! The rates computed from the shipped bandwidth data, against values worked out by hand.
//!
//! Each expected value below was computed on paper/calculator from the numbers in
//! notebooks-data/bandwidth/ (dates in years: 2008-11 → 2014-11 is 6, → 2016-11 is 8; the upload's
//! first point is dated 2009-02, so its intervals are 5.75 and 7.75 years), rounded to 4 decimals.

use btcaddr_analytics::bandwidth::{
    value_after, years_until, BandwidthData, BandwidthGrowth, DataError, Measure, Rate,
};

fn rates() -> Vec<Rate> {
    BandwidthGrowth::compute(&BandwidthData::shipped())
        .expect("shipped data computes")
        .rates()
}

fn rate(series: &str, measure: Measure) -> Rate {
    rates()
        .into_iter()
        .find(|r| r.series == series && r.measure == measure)
        .unwrap_or_else(|| panic!("no {measure} rate for {series}"))
}

fn assert_near(actual: f64, expected: f64, what: &str) {
    assert!(
        (actual - expected).abs() < 5e-5,
        "{what}: computed {actual:.6}, by hand {expected}"
    );
}

#[test]
fn ofcom_download_rates() {
    // 36.2 / 22.8 = 1.58772; √1.58772 = 1.26005 → 26.00% a year over the last two years.
    let recent = rate("OFCOM UK download", Measure::Recent);
    assert_eq!(
        (recent.from.to_string().as_str(), recent.years),
        ("2014-11-01", 2.0)
    );
    assert_near(recent.rate, 0.2600, "download, last two years");
    // 22.8 / 3.6 = 6.33333; ln = 1.84583; / 6 = 0.307639; e^ = 1.36021 → 36.02%.
    let earlier = rate("OFCOM UK download", Measure::Earlier);
    assert_eq!(earlier.years, 6.0);
    assert_near(earlier.rate, 0.3602, "download, first six years");
    // 36.2 / 3.6 = 10.0556; ln = 2.30813; / 8 = 0.288516; e^ = 1.33445 → 33.44%.
    let whole = rate("OFCOM UK download", Measure::Whole);
    assert_eq!(whole.years, 8.0);
    assert_near(whole.rate, 0.3344, "download, whole span");
    // Fit of ln v on t = 0, 6, 8: ln v = 1.28093, 3.12676, 3.58906; mean t = 4.66667,
    // mean ln v = 2.66558; Sxx = 34.6667, Sxy = 10.1549; slope = 0.292930; e^ − 1 = 34.03%.
    assert_near(
        rate("OFCOM UK download", Measure::Fit).rate,
        0.3403,
        "download, fit",
    );
}

#[test]
fn ofcom_upload_rates() {
    // 4.3 / 2.9 = 1.48276; √ = 1.21769 → 21.77%.
    assert_near(
        rate("OFCOM UK upload", Measure::Recent).rate,
        0.2177,
        "upload, last two years",
    );
    // 2.9 / 0.43 = 6.74419; ln = 1.90864; / 5.75 = 0.331937; e^ = 1.39368 → 39.37%.
    let earlier = rate("OFCOM UK upload", Measure::Earlier);
    assert_eq!(earlier.years, 5.75);
    assert_near(earlier.rate, 0.3937, "upload, first 5.75 years");
    // 4.3 / 0.43 = 10; ln = 2.30259; / 7.75 = 0.297108; e^ = 1.34596 → 34.60%.
    assert_near(
        rate("OFCOM UK upload", Measure::Whole).rate,
        0.3460,
        "upload, whole span",
    );
    // Fit on t = 0, 5.75, 7.75: slope 0.304833 → 35.64%.
    assert_near(
        rate("OFCOM UK upload", Measure::Fit).rate,
        0.3564,
        "upload, fit",
    );
}

#[test]
fn akamai_and_estimates() {
    // √(1.23 × 1.15) = √1.4145 = 1.18933 → 18.93% a year.
    let akamai = rate("Akamai global average", Measure::Combined);
    assert_eq!(akamai.years, 2.0);
    assert_near(akamai.rate, 0.1893, "Akamai combined");
    assert_near(
        rate("Akamai estimate (2015)", Measure::Stated).rate,
        0.17,
        "Akamai 2015 estimate",
    );
    assert_near(
        rate("OFCOM estimate (2015)", Measure::Stated).rate,
        0.30,
        "OFCOM 2015 estimate",
    );
    // 2 level series × 4 rates + 3 growth series.
    assert_eq!(rates().len(), 11);
}

#[test]
fn projections_from_measured_rates() {
    // 4.3 Mbit/s upload growing at 21.77% for 5 years: 4.3 × 1.21769^5 = 4.3 × 2.67605 = 11.507.
    let upload = rate("OFCOM UK upload", Measure::Recent).rate;
    assert!((value_after(4.3, upload, 5.0).unwrap() - 11.507).abs() < 5e-3);
    // Doubling at the Akamai combined 18.93%: ln 2 / ln 1.18933 = 0.693147 / 0.173391 = 3.9976 years.
    let akamai = rate("Akamai global average", Measure::Combined).rate;
    assert!((years_until(1.0, 2.0, akamai).unwrap() - 3.9976).abs() < 5e-4);
}

fn user_error(name: &str, text: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(name), text).unwrap();
    let error: DataError = BandwidthData::from_dir(dir.path()).unwrap_err();
    let message = error.to_string();
    let path = dir.path().join(name).display().to_string();
    assert!(message.starts_with(&path), "{message} does not name {path}");
    message[path.len()..].to_string()
}

#[test]
fn user_csv_bad_rows_name_file_and_line() {
    let head = "date,series,value,unit\n2020-01,home,50,Mbit/s\n";
    assert_eq!(
        user_error("a.csv", &format!("{head}2021-01,home,,Mbit/s\n")),
        ":3: value is missing"
    );
    assert_eq!(
        user_error("b.csv", &format!("{head}2021-13-01,home,60,Mbit/s\n")),
        ":3: bad date: month 13 is not in 1..=12"
    );
    assert_eq!(
        user_error("c.csv", &format!("{head}\n2021-01,home,-60,Mbit/s\n")),
        ":4: level -60 must be a positive number"
    );
}

#[test]
fn user_series_computed_like_shipped_ones() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("home.csv"),
        "date,series,kind,value,unit\n2016-01,home upload,level,1,Mbit/s\n2020-01,home upload,level,16,Mbit/s\n\
         2019-06,isp claims,growth,50,%/yr\n",
    )
    .unwrap();
    let growth = BandwidthGrowth::compute(&BandwidthData::from_dir(dir.path()).unwrap()).unwrap();
    let rates = growth.rates();
    // 16× in 4 years: 16^(1/4) = 2 → 100% a year, for every measure.
    for measure in [Measure::Recent, Measure::Whole, Measure::Fit] {
        let r = rates
            .iter()
            .find(|r| r.series == "home upload" && r.measure == measure)
            .unwrap();
        assert!((r.rate - 1.0).abs() < 1e-12, "{measure}: {}", r.rate);
    }
    assert!(
        !rates.iter().any(|r| r.measure == Measure::Earlier),
        "two points have no earlier span"
    );
    assert!(rates
        .iter()
        .any(|r| r.series == "isp claims" && r.measure == Measure::Stated && r.rate == 0.5));
}

#[test]
fn empty_folder_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let message = BandwidthData::from_dir(dir.path()).unwrap_err().to_string();
    assert!(
        message.ends_with("no .csv files in this folder"),
        "{message}"
    );
}
