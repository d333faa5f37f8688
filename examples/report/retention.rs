//! The demo's behaviour section: retention, the new-vs-existing revenue balance and customer
//! lifetime value from the transaction log beside the survey (`transactions.csv`), joined to the
//! survey by customer id (the single view of the customer).

use std::collections::HashMap;
use std::error::Error;
use std::path::Path;

use cx_core::balance::{customer_equity, EquityOptions, ResponseCurve};
use cx_core::clv::{fit_bgnbd, fit_gamma_gamma, rfm, FitOptions, RfmOptions};
use cx_core::grouping::{factorize, Key};
use cx_core::period::{days_from_civil, Freq, MISSING_DAY};
use cx_core::retention::{
    acquisition, cohorts, retention, Activity, RetentionOptions, MISSING_CUSTOMER,
};

fn day(text: &str) -> i64 {
    let p: Vec<&str> = text.trim().splitn(3, '-').collect();
    match p.as_slice() {
        [y, m, d] => match (y.parse(), m.parse(), d.parse()) {
            (Ok(y), Ok(m @ 1..=12), Ok(d @ 1..=31)) => days_from_civil(y, m, d),
            _ => MISSING_DAY,
        },
        _ => MISSING_DAY,
    }
}

fn pct(x: Option<f64>) -> String {
    x.map_or_else(|| "-".into(), |v| format!("{:.1}%", 100.0 * v))
}

/// Print the behaviour section for the survey at `survey_path` (skipped, with a note, when there
/// is no `transactions.csv` beside it).
pub fn report(survey_path: &str) -> Result<(), Box<dyn Error>> {
    let tx_path = Path::new(survey_path).with_file_name("transactions.csv");
    if !tx_path.exists() {
        println!(
            "\n(no {} beside the survey: behaviour section skipped)",
            tx_path.display()
        );
        return Ok(());
    }
    let mut reader = csv::Reader::from_path(&tx_path)?;
    let (mut ids, mut days, mut revenue, mut channels) = (vec![], vec![], vec![], vec![]);
    for record in reader.records() {
        let row = record?;
        channels.push(Some(row.get(3).unwrap_or("").to_string()).filter(|s| !s.is_empty()));
        ids.push(Some(row.get(0).unwrap_or("").to_string()).filter(|s| !s.is_empty()));
        days.push(day(row.get(1).unwrap_or("")));
        revenue.push(row.get(2).unwrap_or("").parse::<f64>().unwrap_or(f64::NAN));
    }
    let (mut codes, labels) = factorize(&ids);
    let mut keys = Vec::new();
    for l in labels {
        match l {
            Some(s) => keys.push(Key::Str(s)),
            None => {
                let m = keys.len() as u32;
                codes
                    .iter_mut()
                    .filter(|c| **c == m)
                    .for_each(|c| *c = MISSING_CUSTOMER);
            }
        }
    }
    println!(
        "\n== Behaviour: {} transactions of {} customers ({}) ==",
        ids.len(),
        keys.len(),
        tx_path.display()
    );

    // Monthly retention and the new-vs-existing revenue balance.
    let activity = Activity::from_codes(&codes, keys.clone(), &days, &revenue, Freq::Month)?;
    let table = retention(
        &activity,
        &RetentionOptions {
            lag: 12,
            ..RetentionOptions::default()
        },
    )?;
    println!("\nMonthly retention (active = bought in the month; NRR/GRR vs the same month a year earlier)");
    println!(
        "  {:<8} {:>6} {:>5} {:>8} {:>7} {:>7} {:>9} {:>10} {:>8} {:>8} {:>7} {:>7}",
        "month",
        "active",
        "new",
        "retained",
        "react.",
        "churned",
        "retention",
        "revenue",
        "new rev",
        "exist.",
        "NRR",
        "GRR"
    );
    for r in &table.rows {
        println!(
            "  {:<8} {:>6} {:>5} {:>8} {:>7} {:>7} {:>9} {:>10.0} {:>8} {:>8} {:>7} {:>7}",
            r.period,
            r.active,
            r.new,
            r.retained,
            r.reactivated,
            r.churned,
            pct(r.retention_rate),
            r.revenue,
            pct(r.new_revenue_share),
            pct(r.existing_revenue_share),
            pct(r.nrr),
            pct(r.grr)
        );
    }
    // The first months are left-censored (customers from before the log look new): judge the
    // balance on the second year.
    let year2 = &table.rows[table.rows.len().saturating_sub(12)..];
    let sum = |f: &dyn Fn(&cx_core::RetentionRow) -> f64| year2.iter().map(f).sum::<f64>();
    let (new_rev, total) = (sum(&|r| r.new_revenue), sum(&|r| r.revenue));
    let gains_new = sum(&|r| r.new_revenue);
    let gains_existing = sum(&|r| r.reactivated_revenue + r.expansion_revenue);
    let losses = sum(&|r| r.churned_revenue + r.contraction_revenue);
    println!("\nNew vs existing customers, last 12 months");
    println!(
        "  revenue: {:.1}% from new customers, {:.1}% from existing ones",
        100.0 * new_rev / total,
        100.0 * (1.0 - new_rev / total)
    );
    println!(
        "  gross revenue gains: {:.1}% from new customers, {:.1}% from existing ones (reactivation and expansion); quick ratio {:.2}",
        100.0 * gains_new / (gains_new + gains_existing),
        100.0 * gains_existing / (gains_new + gains_existing),
        (gains_new + gains_existing) / losses
    );

    // Acquisition channels: the channel of each customer's first purchase.
    let (ch_codes, ch_labels) = factorize(&channels);
    let ch_keys: Vec<Key> = ch_labels
        .into_iter()
        .map(|l| Key::Str(l.unwrap_or_else(|| "(missing)".into())))
        .collect();
    let by_channel = acquisition(
        &activity
            .clone()
            .with_channels(&codes, &days, &revenue, &ch_codes, ch_keys)?,
    )?;
    println!("\nNew customers by the channel of their first purchase in the log (from 2024-12: the first month is left-censored)");
    for ch in &by_channel.channels {
        let rows: Vec<_> = by_channel
            .rows
            .iter()
            .filter(|r| &r.channel == ch && r.period.as_str() > "2024-11")
            .collect();
        let new: u64 = rows.iter().map(|r| r.new).sum();
        let kept: u64 = rows
            .iter()
            .filter(|r| r.next_period_retention.is_some())
            .map(|r| r.retained_next)
            .sum();
        let base: u64 = rows
            .iter()
            .filter(|r| r.next_period_retention.is_some())
            .map(|r| r.new)
            .sum();
        let to_date: f64 = rows.iter().map(|r| r.revenue_to_date).sum();
        println!(
            "  {ch:<6} {new:>5} customers, {:.1}% bought again the next month, revenue to date {:.2} per customer",
            100.0 * kept as f64 / base.max(1) as f64,
            to_date / new.max(1) as f64
        );
    }

    // Cohorts: the average retention curve.
    let c = cohorts(&activity);
    let curve: Vec<f64> = c
        .average_retention
        .iter()
        .take(13)
        .map_while(|x| *x)
        .collect();
    println!(
        "\nAverage cohort retention (share of a cohort buying k months after acquisition): {}",
        curve
            .iter()
            .map(|x| format!("{:.0}%", 100.0 * x))
            .collect::<Vec<_>>()
            .join(" ")
    );

    // CLV: BG/NBD + Gamma-Gamma on the RFM summary (weeks).
    let summary = rfm(
        &codes,
        keys,
        &days,
        &revenue,
        &RfmOptions {
            unit_days: 7.0,
            observation_end: None,
        },
    )?;
    let bg = fit_bgnbd(&summary, &FitOptions::default())?;
    let gg = fit_gamma_gamma(
        &summary.frequency,
        &summary.monetary_value,
        &FitOptions::default(),
    )?;
    let spend = gg.expected_spend(&summary.frequency, &summary.monetary_value)?;
    let clv = bg.clv(
        &summary.frequency,
        &summary.recency,
        &summary.t,
        &spend,
        12,
        0.01,
        4.345,
    )?;
    let alive = bg.p_alive(&summary.frequency, &summary.recency, &summary.t)?;
    println!("\nCustomer lifetime value (next 12 months, 1% monthly discount rate)");
    println!("  {bg}");
    println!("  {gg}");
    let n = clv.len() as f64;
    let mut sorted = clv.clone();
    sorted.sort_by(|a, b| b.total_cmp(a));
    let top = sorted[..sorted.len() / 10].iter().sum::<f64>();
    println!(
        "  mean CLV {:.2}, total {:.0}; the top 10% of customers hold {:.1}% of it; mean P(alive) {:.1}%",
        clv.iter().sum::<f64>() / n,
        clv.iter().sum::<f64>(),
        100.0 * top / clv.iter().sum::<f64>(),
        100.0 * alive.iter().sum::<f64>() / n
    );

    // The single view: CLV by the customer's survey NPS category.
    let mut reader = csv::Reader::from_path(survey_path)?;
    let headers = reader.headers()?.clone();
    let col = |name: &str| headers.iter().position(|h| h == name);
    if let (Some(i_id), Some(i_nps)) = (col("customer_id"), col("nps")) {
        let mut scores: HashMap<String, (f64, f64)> = HashMap::new();
        for record in reader.records() {
            let row = record?;
            if let Ok(s) = row.get(i_nps).unwrap_or("").parse::<f64>() {
                let e = scores
                    .entry(row.get(i_id).unwrap_or("").to_string())
                    .or_default();
                e.0 += s;
                e.1 += 1.0;
            }
        }
        let mut by: HashMap<&str, (f64, f64, f64)> = HashMap::new();
        for (k, key) in summary.customers.iter().enumerate() {
            if let Some((s, m)) = scores.get(&key.to_string()) {
                let mean = (s / m).round();
                let cat = if mean >= 9.0 {
                    "promoters"
                } else if mean >= 7.0 {
                    "passives"
                } else {
                    "detractors"
                };
                let e = by.entry(cat).or_default();
                e.0 += clv[k];
                e.1 += 1.0;
                e.2 += alive[k];
            }
        }
        println!("  by the customer's mean survey NPS (single view of the customer):");
        for cat in ["promoters", "passives", "detractors"] {
            if let Some((v, m, a)) = by.get(cat) {
                println!(
                    "    {cat:<10} {:>6} customers, mean CLV {:>7.2}, mean P(alive) {:.1}%",
                    m,
                    v / m,
                    100.0 * a / m
                );
            }
        }
    }

    // Acquisition vs retention spend (illustrative response curves; the log has no spend).
    let margin = 0.3 * total / year2.iter().map(|r| r.active as f64).sum::<f64>();
    let o = EquityOptions {
        margin,
        discount: 0.01,
        acquisition: ResponseCurve::from_point(0.3, 10.0, 0.15)?,
        retention: ResponseCurve::from_point(0.9, 2.0, 0.62)?,
        acquisition_spend: 10.0,
        retention_spend: 2.0,
        budget: None,
    };
    let ce = customer_equity(&o)?;
    println!(
        "\nCustomer equity per prospect (Blattberg & Deighton 1996; illustrative curves: acquisition 15% at 10 per prospect, ceiling 30%; retention 62% at 2 per customer-month, ceiling 90%; margin 30% of revenue = {margin:.2} per active customer-month)"
    );
    println!("  current   {}", ce.current);
    println!("  optimum   {}", ce.optimum);
    println!(
        "  same budget ({:.2} per prospect) {}",
        ce.budget, ce.budget_optimum
    );
    Ok(())
}
