//! The demo's personas section: the single view of the customer (survey answers joined with
//! the transaction log beside the survey) and data-driven personas on attitude and behaviour,
//! with their profiles and needs.

use std::error::Error;
use std::path::Path;

use cx_core::customer_view::{
    customer_view, join_keys, CustomerViewOptions, RatingColumn, SurveyTable, TransactionLog,
};
use cx_core::grouping::Key;
use cx_core::period::{days_from_civil, MISSING_DAY};
use cx_core::personas::{personas, CxColumns, NumericFeature, PersonaOptions, ProfileColumns};
use cx_core::{CxOptions, Dimension, Scale};

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

fn num(text: Option<&str>) -> f64 {
    text.unwrap_or("").trim().parse().unwrap_or(f64::NAN)
}

fn id(text: Option<&str>) -> Option<Key> {
    Some(text.unwrap_or("").trim().to_string())
        .filter(|s| !s.is_empty())
        .map(Key::Str)
}

/// Print the personas section for the survey at `survey_path` (skipped, with a note, without a
/// `transactions.csv` beside it).
pub fn report(survey_path: &str) -> Result<(), Box<dyn Error>> {
    let tx_path = Path::new(survey_path).with_file_name("transactions.csv");
    if !tx_path.exists() {
        println!("\n(no transactions.csv beside the survey: personas section skipped)");
        return Ok(());
    }
    let mut reader = csv::Reader::from_path(survey_path)?;
    let headers = reader.headers()?.clone();
    let col = |name: &str| headers.iter().position(|h| h == name);
    let (Some(i_id), Some(i_date)) = (col("customer_id"), col("date")) else {
        println!("\n(the survey has no customer_id or date column: personas section skipped)");
        return Ok(());
    };
    let rating_names = [
        "nps",
        "csat",
        "ease",
        "emotion",
        "effectiveness",
        "retained",
    ];
    let idx: Vec<Option<usize>> = rating_names.iter().map(|n| col(n)).collect();
    let (mut s_ids, mut s_days) = (vec![], vec![]);
    let mut ratings: Vec<Vec<f64>> = vec![vec![]; rating_names.len()];
    for record in reader.records() {
        let row = record?;
        s_ids.push(id(row.get(i_id)));
        s_days.push(day(row.get(i_date).unwrap_or("")));
        for (values, i) in ratings.iter_mut().zip(&idx) {
            values.push(i.map_or(f64::NAN, |i| num(row.get(i))));
        }
    }
    let mut reader = csv::Reader::from_path(&tx_path)?;
    let (mut t_ids, mut t_days, mut revenue) = (vec![], vec![], vec![]);
    for record in reader.records() {
        let row = record?;
        t_ids.push(id(row.get(0)));
        t_days.push(day(row.get(1).unwrap_or("")));
        revenue.push(num(row.get(2)));
    }

    // The single view of the customer: one row per customer, both inputs read once.
    let (s_codes, t_codes, ids) = join_keys(&s_ids, &t_ids);
    let survey = SurveyTable {
        customers: &s_codes,
        days: Some(&s_days),
        ratings: rating_names
            .iter()
            .zip(&ratings)
            .map(|(name, values)| RatingColumn { name, values })
            .collect(),
    };
    let log = TransactionLog {
        customers: &t_codes,
        days: &t_days,
        revenue: &revenue,
    };
    let view = customer_view(ids, &survey, &log, &CustomerViewOptions::default())?;
    let both = (0..view.len())
        .filter(|&i| view.in_survey[i] && view.in_transactions[i])
        .count();
    let active = view.active.iter().filter(|a| **a == Some(true)).count();
    println!(
        "\n== Single view of the customer: {} customers ({} answered the survey and bought, {} only answered, {} only bought); {} active at the cut-off (a purchase in the last {} days) ==",
        view.len(),
        both,
        view.in_survey.iter().filter(|x| **x).count() - both,
        view.in_transactions.iter().filter(|x| **x).count() - both,
        active,
        view.active_days
    );

    // Personas on attitude (mean ease and emotion, latest NPS) and behaviour (recency,
    // purchase days, revenue) of the customers in both inputs.
    let mean = |name: &str| view.rating(name).map(|r| r.mean.clone());
    let latest_nps: Vec<f64> = view
        .rating("nps")
        .map(|r| r.latest.iter().map(|x| x.unwrap_or(f64::NAN)).collect())
        .unwrap_or_default();
    let opt = |v: Option<Vec<Option<f64>>>| -> Vec<f64> {
        v.unwrap_or_default()
            .into_iter()
            .map(|x| x.unwrap_or(f64::NAN))
            .collect()
    };
    let ease = opt(mean("ease"));
    let emotion = opt(mean("emotion"));
    let recency: Vec<f64> = view
        .recency_days
        .iter()
        .map(|x| x.map_or(f64::NAN, |d| d as f64))
        .collect();
    let frequency: Vec<f64> = view.frequency.iter().map(|&f| f64::from(f)).collect();
    let rev: Vec<f64> = view.revenue.clone();
    if ease.is_empty() || emotion.is_empty() || latest_nps.is_empty() {
        println!("(the survey lacks nps, ease or emotion: personas skipped)");
        return Ok(());
    }
    let features = [
        NumericFeature {
            name: "nps",
            values: &latest_nps,
        },
        NumericFeature {
            name: "ease",
            values: &ease,
        },
        NumericFeature {
            name: "emotion",
            values: &emotion,
        },
        NumericFeature {
            name: "recency_days",
            values: &recency,
        },
        NumericFeature {
            name: "purchase_days",
            values: &frequency,
        },
        NumericFeature {
            name: "revenue",
            values: &rev,
        },
    ];
    // Within each persona: the CX index of the members' latest answers, and the key drivers
    // (mean ratings) of their latest "retained" answer, which lead the needs.
    let latest = |name: &str| -> Vec<f64> {
        view.rating(name)
            .map(|r| r.latest.iter().map(|x| x.unwrap_or(f64::NAN)).collect())
            .unwrap_or_default()
    };
    let dims = ["effectiveness", "ease", "emotion"];
    let cx_answers: Vec<Vec<f64>> = dims.iter().map(|d| latest(d)).collect();
    let dim_means: Vec<Vec<f64>> = dims.iter().map(|d| opt(mean(d))).collect();
    let retained = latest("retained");
    let cx = CxColumns {
        dims: Dimension::all_on(&dims, Scale::agreement()),
        columns: cx_answers.iter().map(Vec::as_slice).collect(),
        options: CxOptions::default(),
    };
    let drivers: Vec<NumericFeature> = dims
        .iter()
        .zip(&dim_means)
        .map(|(name, values)| NumericFeature { name, values })
        .collect();
    let complete = !retained.is_empty() && cx_answers.iter().all(|c| !c.is_empty());
    let p = personas(
        &features,
        &[],
        &ProfileColumns {
            nps: Some(&latest_nps),
            revenue: Some(&rev),
            clv: None,
            loyalty: complete.then_some(retained.as_slice()),
            cx: complete.then_some(&cx),
            drivers: if complete { &drivers } else { &[] },
        },
        &PersonaOptions {
            k_min: 2,
            k_max: 6,
            ..PersonaOptions::default()
        },
    )?;
    println!(
        "\nPersonas ({}, features standardised; k by mean silhouette on a seeded sample of {}):",
        p.method, p.sample_size
    );
    println!(
        "  silhouette: {}",
        p.scores
            .iter()
            .map(|s| format!(
                "k={} {:.3}{}",
                s.k,
                s.silhouette.unwrap_or(f64::NAN),
                if s.k == p.k { " (chosen)" } else { "" }
            ))
            .collect::<Vec<_>>()
            .join(", ")
    );
    for q in &p.personas {
        let nps = q.nps.as_ref().map_or_else(
            || "-".into(),
            |n| {
                format!(
                    "{:+.1} [{:+.1}, {:+.1}]",
                    n.estimate, n.interval.lower, n.interval.upper
                )
            },
        );
        println!(
            "\n  Persona {} \"{}\": {} customers ({:.1}%), NPS {}, {:.1}% of revenue",
            q.id,
            q.label,
            q.size,
            100.0 * q.share,
            nps,
            100.0 * q.revenue_share.unwrap_or(f64::NAN)
        );
        let means: Vec<String> = q
            .differences
            .iter()
            .map(|d| {
                format!(
                    "{} {:.1} (z {:+.2}{})",
                    d.feature,
                    d.mean,
                    d.z,
                    if d.significant { "*" } else { "" }
                )
            })
            .collect();
        println!("    {}", means.join(", "));
        if let Some(c) = &q.cx_index {
            println!(
                "    CX index {:+.1} [{:+.1}, {:+.1}] ({}), weakest {}; retained {}",
                c.estimate,
                c.interval.lower,
                c.interval.upper,
                c.band.label(),
                c.weakest,
                q.loyalty.as_ref().map_or_else(
                    || "-".into(),
                    |l| format!(
                        "{:.1}% [{:.1}, {:.1}]",
                        100.0 * l.estimate,
                        100.0 * l.interval.lower,
                        100.0 * l.interval.upper
                    )
                )
            );
        }
        if let Some(d) = &q.drivers {
            match &d.skipped {
                Some(why) => println!("    key drivers of {}: skipped ({why})", d.outcome),
                None => println!(
                    "    key drivers of {} (R² {:.2}, {} customers): {}",
                    d.outcome,
                    d.r_squared.unwrap_or(f64::NAN),
                    d.n,
                    d.ranking
                        .iter()
                        .map(|x| format!("{} {:.0}%", x.driver, 100.0 * x.share))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            }
        }
        println!("    needs: {}", q.needs.join("; "));
    }
    println!("  (* differs from the other customers: Welch test, Holm-adjusted, 5%)");
    Ok(())
}
