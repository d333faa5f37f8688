//! Dense customer codes for the survey and the transaction log, into one list of ids.

use crate::grouping::{factorize, Key};
use crate::transactions::MISSING_CUSTOMER;

/// Dense codes for two id columns (survey and transactions) into one sorted list of ids: one
/// hash pass over the concatenation. Missing ids get [`MISSING_CUSTOMER`].
///
/// # Examples
/// ```
/// use cx_core::customer_view::join_keys;
/// use cx_core::grouping::Key;
/// let survey = [Some(Key::Str("b".into())), None];
/// let log = [Some(Key::Str("a".into())), Some(Key::Str("b".into()))];
/// let (s, t, ids) = join_keys(&survey, &log);
/// assert_eq!((s, t), (vec![1, u32::MAX], vec![0, 1]));
/// assert_eq!(ids, vec![Key::Str("a".into()), Key::Str("b".into())]);
/// ```
pub fn join_keys(
    survey: &[Option<Key>],
    transactions: &[Option<Key>],
) -> (Vec<u32>, Vec<u32>, Vec<Key>) {
    let all: Vec<Option<&Key>> = survey
        .iter()
        .chain(transactions)
        .map(|k| match k {
            Some(Key::Missing) | None => None,
            Some(k) => Some(k),
        })
        .collect();
    let (mut codes, labels) = factorize(&all);
    let mut ids = Vec::with_capacity(labels.len());
    for label in labels {
        match label {
            Some(k) => ids.push(k.clone()),
            None => {
                let missing = ids.len() as u32;
                codes
                    .iter_mut()
                    .filter(|c| **c == missing)
                    .for_each(|c| *c = MISSING_CUSTOMER);
            }
        }
    }
    let right = codes.split_off(survey.len());
    (codes, right, ids)
}
