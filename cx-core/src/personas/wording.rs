//! The words of a persona: the theme of each feature, the label and the needs.

use super::FeatureDifference;

/// The theme of a feature name, by keyword (lower case): the word used in labels and the
/// rule used for needs.
fn theme(feature: &str) -> Option<&'static str> {
    let f = feature.to_ascii_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| f.contains(w));
    if has(&["ease", "effort", "ces"]) {
        Some("ease")
    } else if has(&["nps", "recommend", "advoca"]) {
        Some("advocacy")
    } else if has(&["csat", "satisf"]) {
        Some("satisfaction")
    } else if has(&["effective"]) {
        Some("effectiveness")
    } else if has(&["emotion", "feel", "trust"]) {
        Some("emotion")
    } else if has(&["recency", "days_since", "inactive"]) {
        Some("recency")
    } else if has(&["frequency", "purchase", "orders", "visits"]) {
        Some("frequency")
    } else if has(&["revenue", "monetary", "clv", "spend", "value", "sales"]) {
        Some("value")
    } else if has(&["tenure", "age_days"]) {
        Some("tenure")
    } else {
        None
    }
}

/// The label of a persona: up to three of its strongest distinguishing features as
/// "high x" / "low x" (themes by keyword: a high value theme reads "high value", a high
/// recency "at risk", a low recency "recently active"), `"typical"` without any.
pub(super) fn label_of(strong: &[&FeatureDifference]) -> String {
    let words: Vec<String> = strong
        .iter()
        .take(3)
        .map(|d| {
            let high = d.z > 0.0;
            match (theme(&d.feature), high) {
                (Some("recency"), true) => "at risk".to_string(),
                (Some("recency"), false) => "recently active".to_string(),
                (Some(t), true) => format!("high {t}"),
                (Some(t), false) => format!("low {t}"),
                (None, true) => format!("high {}", d.feature),
                (None, false) => format!("low {}", d.feature),
            }
        })
        .collect();
    if words.is_empty() {
        "typical".into()
    } else {
        words.join(", ")
    }
}

/// The needs of a persona, from its features' mean z-scores by these rules (a feature's theme
/// comes from keywords in its name; `|z| >= threshold` counts as low or high), strongest first:
///
/// | theme (keywords) | low | high |
/// |---|---|---|
/// | ease (ease, effort, ces) | reduce effort | |
/// | advocacy (nps, recommend) | close the loop with detractors | recruit as advocates (referrals, reviews) |
/// | satisfaction (csat, satisf) | fix satisfaction pain points | |
/// | effectiveness | resolve needs first time | |
/// | emotion (emotion, feel, trust) | rebuild trust and emotional connection | |
/// | recency (recency, days_since) | | win back before they lapse |
/// | frequency (frequency, purchase, orders) | build the purchase habit (reminders, subscriptions) | |
/// | value (revenue, monetary, clv, spend) | grow value (cross-sell, upsell) | protect and reward high value (service priority, loyalty benefits) |
///
/// Without any rule firing: "maintain the experience (no standout gap)".
pub fn needs_of(differences: &[FeatureDifference], threshold: f64) -> Vec<String> {
    let mut found: Vec<(f64, &'static str)> = Vec::new();
    for d in differences {
        if d.z.abs() < threshold {
            continue;
        }
        let need = match (theme(&d.feature), d.z > 0.0) {
            (Some("ease"), false) => Some("reduce effort"),
            (Some("advocacy"), false) => Some("close the loop with detractors"),
            (Some("advocacy"), true) => Some("recruit as advocates (referrals, reviews)"),
            (Some("satisfaction"), false) => Some("fix satisfaction pain points"),
            (Some("effectiveness"), false) => Some("resolve needs first time"),
            (Some("emotion"), false) => Some("rebuild trust and emotional connection"),
            (Some("recency"), true) => Some("win back before they lapse"),
            (Some("frequency"), false) => {
                Some("build the purchase habit (reminders, subscriptions)")
            }
            (Some("value"), false) => Some("grow value (cross-sell, upsell)"),
            (Some("value"), true) => {
                Some("protect and reward high value (service priority, loyalty benefits)")
            }
            _ => None,
        };
        if let Some(n) = need {
            if !found.iter().any(|(_, m)| *m == n) {
                found.push((d.z.abs(), n));
            }
        }
    }
    found.sort_by(|a, b| b.0.total_cmp(&a.0));
    if found.is_empty() {
        vec!["maintain the experience (no standout gap)".into()]
    } else {
        found.into_iter().map(|(_, n)| n.to_string()).collect()
    }
}
