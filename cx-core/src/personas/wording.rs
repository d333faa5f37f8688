//! The words of a persona: the theme of each feature, the label and the needs.

use super::FeatureDifference;

/// The themes and their keywords, in the order they are tried (the first theme with a keyword
/// in the feature name wins). A keyword is one or more whole words (see [`needs_of`]).
const THEMES: [(&str, &[&str]); 9] = [
    ("ease", &["ease", "effort", "ces"]),
    (
        "advocacy",
        &[
            "nps",
            "recommend",
            "recommended",
            "recommendation",
            "advocate",
            "advocates",
            "advocacy",
        ],
    ),
    (
        "satisfaction",
        &["csat", "satisfaction", "satisfied", "satisfy"],
    ),
    ("effectiveness", &["effective", "effectiveness"]),
    (
        "emotion",
        &[
            "emotion",
            "emotions",
            "emotional",
            "feel",
            "feeling",
            "trust",
        ],
    ),
    ("recency", &["recency", "days since", "inactive"]),
    (
        "frequency",
        &["frequency", "purchase", "purchases", "orders", "visits"],
    ),
    (
        "value",
        &[
            "revenue", "revenues", "monetary", "clv", "spend", "spending", "value", "sales",
        ],
    ),
    ("tenure", &["tenure", "age days"]),
];

/// The lower-case words of a feature name: split at every character that is not a letter or a
/// digit, where a lower-case letter is followed by an upper-case one (`daysSince`), where an
/// upper-case run meets a capitalised word (`NPSScore`: `nps`, `score`) and between letters
/// and digits (`revenue12m`: `revenue`, `12`, `m`).
fn words(feature: &str) -> Vec<String> {
    let chars: Vec<char> = feature.chars().collect();
    let mut words = Vec::new();
    let mut word = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            continue;
        }
        if !word.is_empty() {
            // the previous character is in `word`, so a letter or a digit
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            let boundary = (prev.is_lowercase() && c.is_uppercase())
                || (prev.is_uppercase() && c.is_uppercase() && next_lower)
                || prev.is_numeric() != c.is_numeric();
            if boundary {
                words.push(std::mem::take(&mut word));
            }
        }
        word.extend(c.to_lowercase());
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// The theme of a feature name (the word used in labels and the rule used for needs): the
/// first theme of [`THEMES`] with a keyword among the name's [`words`], a keyword of several
/// words matching them consecutively.
fn theme(feature: &str) -> Option<&'static str> {
    let words = words(feature);
    let has = |keyword: &str| {
        let key: Vec<&str> = keyword.split(' ').collect();
        words
            .windows(key.len())
            .any(|w| w.iter().zip(&key).all(|(a, b)| a == b))
    };
    THEMES
        .iter()
        .find(|(_, keywords)| keywords.iter().any(|k| has(k)))
        .map(|&(theme, _)| theme)
}

/// The label of a persona: up to three of its strongest distinguishing features as
/// "high x" / "low x" (themes by keyword as in [`needs_of`]: a high value theme reads "high
/// value", a high recency "at risk", a low recency "recently active"), `"typical"` without
/// any.
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
/// | advocacy (nps, recommend, recommended, recommendation, advocate, advocates, advocacy) | close the loop with detractors | recruit as advocates (referrals, reviews) |
/// | satisfaction (csat, satisfaction, satisfied, satisfy) | fix satisfaction pain points | |
/// | effectiveness (effective, effectiveness) | resolve needs first time | |
/// | emotion (emotion, emotions, emotional, feel, feeling, trust) | rebuild trust and emotional connection | |
/// | recency (recency, days since, inactive) | | win back before they lapse |
/// | frequency (frequency, purchase, purchases, orders, visits) | build the purchase habit (reminders, subscriptions) | |
/// | value (revenue, revenues, monetary, clv, spend, spending, value, sales) | grow value (cross-sell, upsell) | protect and reward high value (service priority, loyalty benefits) |
/// | tenure (tenure, age days) | | |
///
/// Keywords match **whole words** of the feature name, case-insensitively. The name is split
/// into words at every character that is not a letter or a digit (`_`, `-`, space, `.`), at
/// camelCase boundaries (`daysSince`: `days`, `since`; `NPSScore`: `nps`, `score`) and between
/// letters and digits (`revenue12m`: `revenue`, `12`, `m`). A keyword of two words (`days
/// since`, `age days`) matches the two words in a row (`days_since_last`, `account_age_days`).
/// There is no prefix or plural matching beyond the forms in the table (`satisfied` and
/// `purchases` are keywords of their own): `services`, `prices`, `price_increase` and
/// `process_time` have no theme, and neither has `values_ok` (`values` is not `value`: brand
/// values are an attitude, not money). The themes are tried in the order of the table, so
/// `nps_effort` is about ease. Tenure names personas in labels but has no need.
///
/// Without any rule firing: "maintain the experience (no standout gap)".
///
/// # Examples
/// ```
/// use cx_core::personas::{needs_of, FeatureDifference};
/// let d = |feature: &str, z| FeatureDifference {
///     feature: feature.into(), mean: 0.0, rest_mean: 0.0, z, p_value: None, significant: false,
/// };
/// assert_eq!(needs_of(&[d("EaseScore", -0.9)], 0.5), ["reduce effort"]);
/// // `increase` is not `ease`
/// assert_eq!(
///     needs_of(&[d("price_increase", -0.9)], 0.5),
///     ["maintain the experience (no standout gap)"],
/// );
/// ```
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn themes_match_whole_words() {
        // a keyword inside another word is no theme: `increase` is not `ease`, `process` and
        // `services` are not `ces`, `values` is not `value`
        for name in [
            "services",
            "prices",
            "price_increase",
            "process_time",
            "values_ok",
            "dissatisfaction",
            "evaluation",
        ] {
            assert_eq!(theme(name), None, "{name}");
        }
        for (name, want) in [
            ("ease_score", "ease"),
            ("EaseScore", "ease"),
            ("customer-effort", "ease"),
            ("ces", "ease"),
            ("nps_latest", "advocacy"),
            ("NPSScore", "advocacy"),
            ("advocacy", "advocacy"),
            ("satisfaction", "satisfaction"),
            ("csat.mean", "satisfaction"),
            ("effectiveness_mean", "effectiveness"),
            ("days_since_last", "recency"),
            ("daysSinceLastPurchase", "recency"),
            ("recency_days", "recency"),
            ("n_purchases", "frequency"),
            ("revenue_12m", "value"),
            ("revenue12m", "value"),
            ("Lifetime Value", "value"),
            ("account_age_days", "tenure"),
        ] {
            assert_eq!(theme(name), Some(want), "{name}");
        }
        // a keyword of two words wants them in a row
        assert_eq!(theme("since_days"), None);
        assert_eq!(words("NPSScore_v2"), ["nps", "score", "v", "2"]);
        // a name without a theme reads as itself in the label
        let d = |feature: &str, z| FeatureDifference {
            feature: feature.into(),
            mean: 0.0,
            rest_mean: 0.0,
            z,
            p_value: None,
            significant: false,
        };
        assert_eq!(
            label_of(&[&d("prices", 0.8), &d("ease_score", -0.7)]),
            "high prices, low ease"
        );
    }

    #[test]
    fn the_needs_table_lists_every_keyword() {
        let doc = include_str!("wording.rs");
        for (theme, keywords) in THEMES {
            let row = format!("/// | {theme} ({}) |", keywords.join(", "));
            assert!(doc.contains(&row), "{row}");
        }
    }
}
