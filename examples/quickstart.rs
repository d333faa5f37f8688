//! The Rust quick start: NPS, CSAT and CES from a handful of answers.
//!
//! ```text
//! cargo run -p cx-core --example quickstart
//! ```

use cx_core::{ces, csat, nps, NpsOptions, ProportionOptions, Scale, Tally};

fn main() -> Result<(), cx_core::CxError> {
    // Likelihood to recommend, 0-10; NaN is a missing answer.
    let scores = [10.0, 9.0, 9.0, 8.0, 7.0, 6.0, 3.0, 10.0, 9.0, 0.0, f64::NAN];
    let tally = Tally::from_values(Scale::nps(), &scores, None)?;
    println!("{}", nps(&tally, &NpsOptions::default())?);

    // Satisfaction 1-5 with survey weights.
    let sat = Tally::from_values(Scale::csat(), &[5u8, 4, 2, 5], Some(&[1.0, 2.0, 1.0, 0.5]))?;
    println!("CSAT {}", csat(&sat, &ProportionOptions::default())?);

    // Effort 1-7 (CES 2.0, higher is easier), pushed one answer at a time as in a stream.
    let mut effort = Tally::new(Scale::ces());
    for answer in [7.0, 6.0, 5.0, 5.0, 3.0] {
        effort.push(answer)?;
    }
    println!("CES {}", ces(&effort, 0.95)?);
    Ok(())
}
