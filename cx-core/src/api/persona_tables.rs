//! The table schema of the key drivers within each persona: one row per persona and driver,
//! largest LMG share first (Python's `PersonasResult.drivers`).

use super::table::{ColumnData, Table, TableSpec};
use crate::personas::{DriverShare, Persona, PersonaDrivers, Personas};

crate::table_spec!(
    /// The key drivers within each persona as a DataFrame (Python).
    pub PERSONA_DRIVERS, "persona_drivers", "One driver within one persona (a persona whose \
                                            analysis was skipped: one row without a driver).", [
    (persona, Count, "The persona's number.", always),
    (label, Text, "The persona's label.", always),
    (outcome, Text, "The outcome explained: \"loyalty\" (0/1) or \"nps\" (0-10).", always),
    (driver, Text, "The driver's name."),
    (share, Number, "Its LMG share of R-squared within the persona (0 to 1)."),
    (beta, Number, "Standardised regression coefficient within the persona."),
    (correlation, Number, "Pearson correlation with the outcome within the persona."),
    (z, Number, "The persona's standing on the driver: its members' mean minus the mean of \
                 all clustered customers, in population standard deviations."),
    (r_squared, Number, "R-squared of the outcome on all the drivers within the persona."),
    (n, Count, "Members complete on every driver and the outcome.", always),
    (skipped, Text, "Why the analysis could not be done in the persona, else missing."),
]);

pub(super) static TABLES: &[&TableSpec] = &[&PERSONA_DRIVERS];

/// A finite number, else missing (as the personas' dict renders NaN).
fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

/// One row of the table: a persona, its drivers and one of them (none when skipped).
struct Row<'a> {
    persona: &'a Persona,
    drivers: &'a PersonaDrivers,
    entry: Option<&'a DriverShare>,
}

/// The key drivers within each persona of `p`, one row per persona and driver (a skipped
/// persona: one row without a driver; none for personas without drivers).
pub fn persona_drivers_table(p: &Personas) -> Table {
    let mut rows: Vec<Row> = Vec::new();
    for persona in &p.personas {
        let Some(drivers) = persona.drivers.as_ref() else {
            continue;
        };
        if drivers.ranking.is_empty() {
            rows.push(Row {
                persona,
                drivers,
                entry: None,
            });
        }
        rows.extend(drivers.ranking.iter().map(|e| Row {
            persona,
            drivers,
            entry: Some(e),
        }));
    }
    let text = |f: fn(&Row) -> Option<String>| ColumnData::Text(rows.iter().map(f).collect());
    let number = |f: fn(&DriverShare) -> f64| {
        ColumnData::Number(
            rows.iter()
                .map(|r| r.entry.and_then(|e| finite(f(e))))
                .collect(),
        )
    };
    let mut t = Table::new(&PERSONA_DRIVERS);
    t.push(
        "persona",
        ColumnData::Count(rows.iter().map(|r| Some(r.persona.id as u64)).collect()),
    )
    .push("label", text(|r| Some(r.persona.label.clone())))
    .push("outcome", text(|r| Some(r.drivers.outcome.clone())))
    .push("driver", text(|r| r.entry.map(|e| e.driver.clone())))
    .push("share", number(|e| e.share))
    .push("beta", number(|e| e.beta))
    .push("correlation", number(|e| e.correlation))
    .push("z", number(|e| e.z))
    .push(
        "r_squared",
        ColumnData::Number(
            rows.iter()
                .map(|r| r.drivers.r_squared.and_then(finite))
                .collect(),
        ),
    )
    .push(
        "n",
        ColumnData::Count(rows.iter().map(|r| Some(r.drivers.n)).collect()),
    )
    .push("skipped", text(|r| r.drivers.skipped.clone()));
    t
}
