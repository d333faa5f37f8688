//! The loyalty section of the demo report: retention and recommendation lift of promoters
//! over detractors, the loyalty curve (retention rate at each NPS point), the value of
//! moving detractors, and the ranked key drivers of retention.
//!
//! Needs the columns `nps`, `retained`, `bought_more`, `recommended`, `effectiveness`, `ease`,
//! `emotion` (0/1 outcomes; empty cells are missing); a CSV without them skips the section.

use std::error::Error;

use cx_core::drivers::{key_drivers, DriverOptions};
use cx_core::loyalty::{
    loyalty_curve, loyalty_lift, revenue_impact, CurveTally, CustomerBase, ExposureRule, MoveTo,
    Scenario,
};
use cx_core::Scale;

fn number(text: Option<&str>, line: usize, name: &str) -> Result<f64, Box<dyn Error>> {
    let t = text.unwrap_or("").trim();
    if t.is_empty() {
        return Ok(f64::NAN);
    }
    t.parse::<f64>()
        .map_err(|e| format!("line {line}, {name}: cannot read {t:?}: {e}").into())
}

/// Print the loyalty section for the survey at `path`.
pub fn report(path: &str) -> Result<(), Box<dyn Error>> {
    const COLUMNS: [&str; 7] = [
        "nps",
        "retained",
        "bought_more",
        "recommended",
        "effectiveness",
        "ease",
        "emotion",
    ];
    let mut reader = csv::Reader::from_path(path)?;
    let headers = reader.headers()?.clone();
    let idx: Vec<Option<usize>> = COLUMNS
        .iter()
        .map(|c| headers.iter().position(|h| h == *c))
        .collect();
    if idx.iter().any(Option::is_none) {
        println!("\n(loyalty section skipped: the CSV lacks one of {COLUMNS:?})");
        return Ok(());
    }
    let idx: Vec<usize> = idx.into_iter().flatten().collect();
    let mut cols: Vec<Vec<f64>> = vec![vec![]; COLUMNS.len()];
    for (i, record) in reader.records().enumerate() {
        let row = record?;
        for (k, &j) in idx.iter().enumerate() {
            cols[k].push(number(row.get(j), i + 2, COLUMNS[k])?);
        }
    }
    let nps = &cols[0];

    println!("\nLoyalty lift: promoters (9-10) vs detractors (0-6)");
    println!(
        "  {:<12} {:>10} {:>11} {:>22} {:>24} {:>9}",
        "outcome", "promoters", "detractors", "risk ratio (95% CI)", "difference, points", "p"
    );
    let mut retained_curve = None;
    for (k, name) in [(1, "retained"), (2, "bought_more"), (3, "recommended")] {
        let curve = CurveTally::from_values(Scale::nps(), nps, &cols[k], None)?;
        let lift = loyalty_lift(&curve.joint(&ExposureRule::default())?, 0.95)?;
        let (rr, rd) = (&lift.risk_ratio, &lift.risk_difference);
        println!(
            "  {:<12} {:>9.1}% {:>10.1}% {:>6.2} [{:.2}, {:.2}] {:>+10.1} [{:+.1}, {:+.1}] {:>9}",
            name,
            100.0 * lift.exposed.estimate,
            100.0 * lift.reference.estimate,
            rr.estimate,
            rr.interval.lower,
            rr.interval.upper,
            100.0 * rd.estimate,
            100.0 * rd.interval.lower,
            100.0 * rd.interval.upper,
            if rd.p_value < 1e-4 {
                "<0.0001".to_string()
            } else {
                format!("{:.4}", rd.p_value)
            }
        );
        if k == 1 {
            retained_curve = Some(curve);
        }
    }
    println!(
        "  (ratio: Katz log interval; difference: Newcombe hybrid score interval, pooled z-test)"
    );

    let curve = retained_curve.expect("retained is the first outcome");
    println!("\nLoyalty curve: retention rate at each NPS point (Wilson 95% CI)");
    for p in loyalty_curve(&curve, 0.95)?.points {
        let (Some(rate), Some(ci)) = (p.estimate, p.interval) else {
            println!("  {:>2}   (nobody)", p.point);
            continue;
        };
        println!(
            "  {:>2} {:>6.1}% [{:>5.1}%, {:>5.1}%] {:>6}  {}",
            p.point,
            100.0 * rate,
            100.0 * ci.lower,
            100.0 * ci.upper,
            p.n,
            "#".repeat((rate * 50.0).round() as usize)
        );
    }

    let joint = curve.joint(&ExposureRule::default())?;
    let base = CustomerBase::from_total(100_000.0, &joint)?;
    for (to, word) in [
        (MoveTo::Neither, "passives"),
        (MoveTo::Exposed, "promoters"),
    ] {
        let s = Scenario {
            share: 0.1,
            to,
            revenue_per_customer: 150.0,
            ..Scenario::default()
        };
        let r = revenue_impact(&joint, &base, &s)?;
        println!(
            "{}10% of detractors become {word} (base of 100,000 customers, 150 per retained \
             customer): {:+.0} retained [{:+.0}, {:+.0}], revenue {:+.0} [{:+.0}, {:+.0}]",
            if to == MoveTo::Neither {
                "\nWhat it is worth: "
            } else {
                "                   "
            },
            r.retained_change.estimate,
            r.retained_change.interval.lower,
            r.retained_change.interval.upper,
            r.revenue_change.estimate,
            r.revenue_change.interval.lower,
            r.revenue_change.interval.upper
        );
    }

    let drivers: Vec<&[f64]> = cols[4..7].iter().map(Vec::as_slice).collect();
    let kd = key_drivers(&drivers, &cols[1], None, &DriverOptions::default())?;
    println!(
        "\nKey drivers of retention (R\u{b2} = {:.3}, n = {}, {} rows with a missing value left out; \
         1,000 bootstrap resamples)",
        kd.r_squared, kd.n, kd.missing
    );
    println!(
        "  {:<4} {:<14} {:>22} {:>22} {:>8}",
        "rank", "driver", "LMG share (95% CI)", "relative weight share", "beta"
    );
    let mut ranked: Vec<_> = kd.drivers.iter().collect();
    ranked.sort_by_key(|d| d.rank);
    for d in ranked {
        let ci = d.lmg.share_interval.expect("resamples were drawn");
        println!(
            "  {:<4} {:<14} {:>6.1}% [{:>4.1}%, {:>4.1}%] {:>21.1}% {:>8.3}",
            d.rank,
            COLUMNS[4 + d.index],
            100.0 * d.lmg.share,
            100.0 * ci.lower,
            100.0 * ci.upper,
            100.0 * d.relative_weight.share,
            d.beta
        );
    }
    Ok(())
}
