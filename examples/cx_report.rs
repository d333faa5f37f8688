//! The cxkit demo: a customer-experience report over a survey CSV.
//!
//! ```text
//! cargo run --release -p cx-core --example cx_report -- [path/to/survey.csv]
//! ```
//!
//! Reads the file once, building one [`Tally`] per rating item as the rows stream by and keeping
//! the key columns, then prints NPS with its interval and split, the NPS distribution, CSAT, CES,
//! NPS by region and by channel with each group tested against the rest (Holm-adjusted), the
//! NPS gap between new and existing customers, and a monthly NPS trend with a rolling quarter;
//! then, from `transactions.csv` beside the survey, retention, the new-vs-existing revenue
//! balance and customer lifetime value (`report/retention.rs`).
//! Empty cells are missing answers; they are counted, not guessed.

use std::collections::BTreeMap;
use std::error::Error;

use cx_core::grouping::factorize;
use cx_core::period::{days_from_civil, Freq, Periods, MISSING_DAY};
use cx_core::{
    ces, csat, distribution, nps, nps_difference, segments, trend, GroupedTally, NpsOptions,
    ProportionOptions, Scale, SegmentOptions, Tally, TrendOptions,
};

#[path = "report/loyalty.rs"]
mod loyalty;

#[path = "report/cx_index.rs"]
mod cx_index;

#[path = "report/retention.rs"]
mod retention;

#[path = "report/personas.rs"]
mod personas;

const DEFAULT_PATH: &str = "examples/data/survey.csv";

/// Parse one rating cell: empty is missing (NaN), anything else must be a number.
fn cell(row: &csv::StringRecord, idx: usize, line: u64) -> Result<f64, Box<dyn Error>> {
    let text = row.get(idx).unwrap_or("").trim();
    if text.is_empty() {
        return Ok(f64::NAN);
    }
    text.parse::<f64>()
        .map_err(|e| format!("line {line}: cannot read {text:?} as a number: {e}").into())
}

fn column(headers: &csv::StringRecord, name: &str) -> Result<usize, Box<dyn Error>> {
    headers
        .iter()
        .position(|h| h == name)
        .ok_or_else(|| format!("the CSV has no column {name:?}").into())
}

/// Days since 1970-01-01 of an ISO date `YYYY-MM-DD` (empty: missing).
fn day(text: &str, line: u64) -> Result<i64, Box<dyn Error>> {
    if text.trim().is_empty() {
        return Ok(MISSING_DAY);
    }
    let parts: Vec<&str> = text.trim().splitn(3, '-').collect();
    let bad = || format!("line {line}: {text:?} is not a date YYYY-MM-DD");
    let [y, m, d] = parts.as_slice() else {
        return Err(bad().into());
    };
    let (y, m, d) = (y.parse::<i64>(), m.parse::<u32>(), d.parse::<u32>());
    match (y, m, d) {
        (Ok(y), Ok(m @ 1..=12), Ok(d @ 1..=31)) => Ok(days_from_civil(y, m, d)),
        _ => Err(bad().into()),
    }
}

/// Print a segment table: NPS per group, the difference from the rest and a significance flag.
fn print_segments(
    title: &str,
    keys: &[Option<String>],
    scores: &[f64],
) -> Result<(), Box<dyn Error>> {
    let (codes, labels) = factorize(keys);
    let grouped = GroupedTally::from_values(Scale::nps(), &codes, labels.len(), scores, None)?;
    let table = segments(&grouped, &SegmentOptions::default())?;
    println!("\nNPS by {title} (each vs the rest; Holm-adjusted, * = significant at 5%)");
    println!(
        "  {:<10} {:>7} {:>17} {:>7} {:>9} {:>9}",
        title, "NPS", "95% CI", "n", "vs rest", "p (adj)"
    );
    for row in &table.rows {
        let label = labels[row.group].as_deref().unwrap_or("(missing)");
        let (Some(est), Some(ci)) = (row.summary.estimate, row.summary.interval) else {
            continue;
        };
        let (diff, p, flag) = match &row.vs_rest {
            Some(c) => (
                format!("{:+.1}", c.difference),
                p_text(c.p_adjusted),
                if c.significant { "*" } else { "" },
            ),
            None => (
                "-".into(),
                "-".into(),
                if row.too_small { "(small)" } else { "" },
            ),
        };
        println!(
            "  {:<10} {:>+7.1} [{:>+6.1}, {:>+6.1}] {:>7} {:>9} {:>9} {}",
            label, est, ci.lower, ci.upper, row.summary.n, diff, p, flag
        );
    }
    Ok(())
}

/// A p-value as a person reads it: four decimals, or "<0.0001".
fn p_text(p: f64) -> String {
    if p < 1e-4 {
        "<0.0001".into()
    } else {
        format!("{p:.4}")
    }
}

fn bar(share: f64, width: usize) -> String {
    "#".repeat((share * width as f64).round() as usize)
}

fn main() -> Result<(), Box<dyn Error>> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| DEFAULT_PATH.to_string());
    let mut reader = csv::Reader::from_path(&path).map_err(|e| format!("{path}: {e}"))?;
    let headers = reader.headers()?.clone();
    let (i_nps, i_csat, i_ces) = (
        column(&headers, "nps")?,
        column(&headers, "csat")?,
        column(&headers, "ces")?,
    );
    let i_region = column(&headers, "region")?;
    let i_channel = column(&headers, "channel")?;
    let i_type = column(&headers, "customer_type")?;
    let i_date = column(&headers, "date")?;

    let mut nps_all = Tally::new(Scale::nps());
    let mut csat_all = Tally::new(Scale::csat());
    let mut ces_all = Tally::new(Scale::ces());
    let mut by_type: BTreeMap<String, Tally> = BTreeMap::new();
    let key = |row: &csv::StringRecord, idx: usize| {
        Some(row.get(idx).unwrap_or("").trim().to_string()).filter(|k| !k.is_empty())
    };
    let (mut scores, mut regions, mut channels, mut days) = (vec![], vec![], vec![], vec![]);
    let mut rows = 0u64;
    for (i, record) in reader.records().enumerate() {
        let row = record?;
        let line = i as u64 + 2;
        let score = cell(&row, i_nps, line)?;
        nps_all
            .push(score)
            .map_err(|e| format!("line {line}, nps: {e}"))?;
        csat_all
            .push(cell(&row, i_csat, line)?)
            .map_err(|e| format!("line {line}, csat: {e}"))?;
        ces_all
            .push(cell(&row, i_ces, line)?)
            .map_err(|e| format!("line {line}, ces: {e}"))?;
        by_type
            .entry(row.get(i_type).unwrap_or("").to_string())
            .or_insert_with(|| Tally::new(Scale::nps()))
            .push(score)?;
        scores.push(score);
        regions.push(key(&row, i_region));
        channels.push(key(&row, i_channel));
        days.push(day(row.get(i_date).unwrap_or(""), line)?);
        rows += 1;
    }

    println!("cxkit customer-experience report");
    println!("source: {path} ({rows} responses)\n");

    let r = nps(&nps_all, &NpsOptions::default())?;
    println!("Net Promoter Score (0-10; promoters 9-10, detractors 0-6)");
    println!(
        "  NPS {:+.1} points   {:.0}% CI [{:+.1}, {:+.1}] ({})   SE {:.2}",
        r.estimate,
        r.interval.level * 100.0,
        r.interval.lower,
        r.interval.upper,
        r.interval.method,
        r.std_error
    );
    println!(
        "  promoters {:.1}%   passives {:.1}%   detractors {:.1}%   n = {} ({} missing)\n",
        100.0 * r.promoter_share,
        100.0 * r.passive_share,
        100.0 * r.detractor_share,
        r.n,
        r.missing
    );

    println!("NPS distribution");
    for p in distribution(&nps_all)?.points {
        let kind = if Scale::nps().is_top_box(p.point) {
            "promoter"
        } else if Scale::nps().is_bottom_box(p.point) {
            "detractor"
        } else {
            "passive"
        };
        println!(
            "  {:>2} {:<9} {:>5.1}% {:>6}  {}",
            p.point,
            kind,
            100.0 * p.share,
            p.count,
            bar(p.share, 60)
        );
    }

    let c = csat(&csat_all, &ProportionOptions::default())?;
    println!("\nCSAT (share answering 4-5 on 1-5)");
    println!(
        "  {:.1}%   {:.0}% CI [{:.1}%, {:.1}%] ({})   n = {} ({} missing)",
        100.0 * c.estimate,
        c.interval.level * 100.0,
        100.0 * c.interval.lower,
        100.0 * c.interval.upper,
        c.interval.method,
        c.n,
        c.missing
    );

    let e = ces(&ces_all, 0.95)?;
    println!("\nCES (mean on 1-7, higher = easier)");
    println!(
        "  {:.2}   95% CI [{:.2}, {:.2}]   SD {:.2}   n = {} ({} missing)",
        e.estimate, e.interval.lower, e.interval.upper, e.std_dev, e.n, e.missing
    );

    print_segments("region", &regions, &scores)?;
    print_segments("channel", &channels, &scores)?;

    if let (Some(new), Some(existing)) = (by_type.get("new"), by_type.get("existing")) {
        let d = nps_difference(existing, new, 0.95)?;
        println!("\nExisting vs new customers");
        println!(
            "  NPS {:+.1} vs {:+.1}: difference {:+.1} points, 95% CI [{:+.1}, {:+.1}], p = {:.4}",
            d.nps_a, d.nps_b, d.estimate, d.interval.lower, d.interval.upper, d.p_value
        );
    }

    let months = Periods::from_days(&days, Freq::Month)?;
    let grouped = GroupedTally::from_values(
        Scale::nps(),
        &months.codes,
        months.n_groups(),
        &scores,
        None,
    )?;
    let tallies = grouped.tallies();
    let rows = trend(
        &tallies[..months.n_periods],
        &TrendOptions {
            window: Some(3),
            ..Default::default()
        },
    )?;
    println!("\nMonthly NPS trend (change vs previous month, Holm-adjusted; rolling 3 months)");
    println!(
        "  {:<8} {:>7} {:>17} {:>6} {:>8} {:>9} {:>9}",
        "month", "NPS", "95% CI", "n", "change", "p (adj)", "3-month"
    );
    for r in rows {
        let (Some(est), Some(ci)) = (r.summary.estimate, r.summary.interval) else {
            continue;
        };
        let (change, p) = match &r.change {
            Some(c) => (
                format!(
                    "{:+.1}{}",
                    c.difference,
                    if c.significant { "*" } else { "" }
                ),
                p_text(c.p_adjusted),
            ),
            None => ("-".into(), "-".into()),
        };
        let rolling = r
            .rolling
            .and_then(|w| w.summary.estimate)
            .map_or("-".into(), |e| format!("{e:+.1}"));
        println!(
            "  {:<8} {:>+7.1} [{:>+6.1}, {:>+6.1}] {:>6} {:>8} {:>9} {:>9}",
            months.label(r.period),
            est,
            ci.lower,
            ci.upper,
            r.summary.n,
            change,
            p,
            rolling
        );
    }
    loyalty::report(&path)?;
    cx_index::print(&path)?;
    retention::report(&path)?;
    personas::report(&path)?;
    Ok(())
}
