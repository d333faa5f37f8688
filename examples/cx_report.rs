//! The cxkit demo: a customer-experience report over a survey CSV.
//!
//! ```text
//! cargo run --release -p cx-core --example cx_report -- [path/to/survey.csv]
//! ```
//!
//! Reads the file once, building one [`Tally`] per rating item (and per channel for NPS) as the
//! rows stream by, then prints NPS with its interval and split, the NPS distribution, CSAT, CES,
//! NPS by channel, and the NPS gap between new and existing customers with its test.
//! Empty cells are missing answers; they are counted, not guessed.

use std::collections::BTreeMap;
use std::error::Error;

use cx_core::{
    ces, csat, distribution, nps, nps_difference, NpsOptions, ProportionOptions, Scale, Tally,
};

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
    let i_channel = column(&headers, "channel")?;
    let i_type = column(&headers, "customer_type")?;

    let mut nps_all = Tally::new(Scale::nps());
    let mut csat_all = Tally::new(Scale::csat());
    let mut ces_all = Tally::new(Scale::ces());
    let mut by_channel: BTreeMap<String, Tally> = BTreeMap::new();
    let mut by_type: BTreeMap<String, Tally> = BTreeMap::new();
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
        for (map, idx) in [(&mut by_channel, i_channel), (&mut by_type, i_type)] {
            let key = row.get(idx).unwrap_or("").to_string();
            map.entry(key)
                .or_insert_with(|| Tally::new(Scale::nps()))
                .push(score)?;
        }
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

    println!("\nNPS by channel");
    println!(
        "  {:<8} {:>7} {:>17} {:>7}",
        "channel", "NPS", "95% CI", "n"
    );
    for (name, t) in &by_channel {
        let g = nps(t, &NpsOptions::default())?;
        println!(
            "  {:<8} {:>+7.1} [{:>+6.1}, {:>+6.1}] {:>7}",
            name, g.estimate, g.interval.lower, g.interval.upper, g.n
        );
    }

    if let (Some(new), Some(existing)) = (by_type.get("new"), by_type.get("existing")) {
        let d = nps_difference(existing, new, 0.95)?;
        println!("\nExisting vs new customers");
        println!(
            "  NPS {:+.1} vs {:+.1}: difference {:+.1} points, 95% CI [{:+.1}, {:+.1}], p = {:.4}",
            d.nps_a, d.nps_b, d.estimate, d.interval.lower, d.interval.upper, d.p_value
        );
    }
    Ok(())
}
