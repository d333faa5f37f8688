//! The CX index section of the demo report: effectiveness, ease and emotion (1-5) combined into
//! one index with its quality band and weakest dimension, overall and by region.

use std::error::Error;

use cx_core::grouping::factorize;
use cx_core::{
    cx_index, cx_segments, CxMethod, CxOptions, CxSegmentOptions, CxSummary, Dimension,
    GroupedCxSummary,
};

use super::{cell, column, p_text};

/// Read the three dimensions and the region from the survey CSV (responses streamed into a
/// [`CxSummary`] one by one, as a server would), then print the index and the region table.
pub fn print(path: &str) -> Result<(), Box<dyn Error>> {
    let mut reader = csv::Reader::from_path(path).map_err(|e| format!("{path}: {e}"))?;
    let headers = reader.headers()?.clone();
    let dims = Dimension::defaults();
    let (Ok(idx), Ok(i_region)) = (
        dims.iter()
            .map(|d| column(&headers, &d.name))
            .collect::<Result<Vec<usize>, _>>(),
        column(&headers, "region"),
    ) else {
        println!(
            "\nCX index: skipped (the CSV has no effectiveness, ease, emotion and region columns)"
        );
        return Ok(());
    };
    let mut summary = CxSummary::new(dims.clone(), false)?;
    let mut columns: Vec<Vec<f64>> = vec![vec![]; dims.len()];
    let mut regions = vec![];
    for (i, record) in reader.records().enumerate() {
        let row = record?;
        let line = i as u64 + 2;
        let answers = idx
            .iter()
            .map(|&j| cell(&row, j, line))
            .collect::<Result<Vec<f64>, _>>()?;
        summary
            .push(&answers)
            .map_err(|e| format!("line {line}: {e}"))?;
        for (c, a) in columns.iter_mut().zip(&answers) {
            c.push(*a);
        }
        let region = row.get(i_region).unwrap_or("").trim();
        regions.push((!region.is_empty()).then(|| region.to_string()));
    }

    let net = cx_index(&summary, &CxOptions::default())?;
    let mean = cx_index(
        &summary,
        &CxOptions {
            method: CxMethod::Mean,
            ..Default::default()
        },
    )?;
    println!("\nCX index (effectiveness, ease, emotion on 1-5; equal weights)");
    for r in [&net, &mean] {
        println!(
            "  {:<4} {:>5.1} points   {:.0}% CI [{:.1}, {:.1}] (delta method)   {:<9}   weakest: {}",
            r.method,
            r.estimate,
            r.interval.level * 100.0,
            r.interval.lower,
            r.interval.upper,
            r.band,
            r.weakest
        );
    }
    println!(
        "  n = {} respondents ({} answered no dimension); bands: very poor < 55 <= poor < 65 <= okay < 75 \
         <= good < 85 <= excellent (cxkit's default cut-offs)",
        net.n, net.missing
    );
    println!("  net = top-2-box share minus bottom-2-box share (Forrester's CXi); mean = mean rescaled to 0-100 (ACSI)");
    for d in &net.dimensions {
        println!(
            "    {:<14} net {:>5.1} [{:>5.1}, {:>5.1}]  top box {:>4.1}%  bottom box {:>4.1}%  mean {:.2}  n = {}",
            d.name,
            d.estimate,
            d.interval.lower,
            d.interval.upper,
            100.0 * d.top_share,
            100.0 * d.bottom_share,
            d.mean,
            d.n
        );
    }

    let (codes, labels) = factorize(&regions);
    let slices: Vec<&[f64]> = columns.iter().map(Vec::as_slice).collect();
    let grouped =
        GroupedCxSummary::from_columns(dims, &codes, 0, labels.len(), &slices, None, false)?;
    let table = cx_segments(&grouped, &CxSegmentOptions::default())?;
    println!("\nCX index (net) by region (each vs the rest; Holm-adjusted, * = significant at 5%)");
    println!(
        "  {:<10} {:>6} {:>14} {:<10} {:<14} {:>6} {:>8} {:>9}",
        "region", "index", "95% CI", "band", "weakest", "n", "vs rest", "p (adj)"
    );
    for row in &table.rows {
        let label = labels[row.row.group].as_deref().unwrap_or("(missing)");
        let Some(r) = &row.index else { continue };
        let (diff, p, flag) = match &row.row.vs_rest {
            Some(c) => (
                format!("{:+.1}", c.difference),
                p_text(c.p_adjusted),
                if c.significant { "*" } else { "" },
            ),
            None => ("-".into(), "-".into(), ""),
        };
        println!(
            "  {:<10} {:>6.1} [{:>5.1}, {:>5.1}] {:<10} {:<14} {:>6} {:>8} {:>9} {}",
            label,
            r.estimate,
            r.interval.lower,
            r.interval.upper,
            r.band.label(),
            r.weakest,
            r.n,
            diff,
            p,
            flag
        );
    }
    Ok(())
}
