//! [`customer_view`]: the survey and the log read once each, joined per customer.

use super::clv::add_clv;
use super::{CustomerView, CustomerViewOptions, NpsCategory, RatingSummary, SurveyTable};
use crate::error::{check_len, CxError, Result};
use crate::grouping::Key;
use crate::period::MISSING_DAY;
use crate::transactions::{
    day_in_range, day_out_of_range, Purchases, Reader, TransactionLog, MISSING_CUSTOMER,
};

const NONE: i64 = i64::MIN;

/// How the customer view reads its log: every customer code and every date is checked, skipped
/// rows' too, the code first.
const LOG: Reader = Reader {
    customers: "transaction customers",
    dates: "transaction dates",
    skipped_dates: true,
    ids_first: true,
};

/// Per-customer log rows and net revenue up to the cut-off (the purchase days are in
/// [`Purchases`]).
#[derive(Clone, Copy)]
struct Tx {
    rows: u32,
    revenue: f64,
}

/// Per-customer survey state.
#[derive(Clone, Copy)]
struct Sv {
    responses: u32,
    last_day: i64,
}

/// Per-customer, per-rating state.
#[derive(Clone, Copy)]
struct Rt {
    sum: f64,
    count: u32,
    latest: f64,
    day: i64,
}

fn code_check(c: u32, n: usize, index: usize) -> Result<()> {
    if c != MISSING_CUSTOMER && c as usize >= n {
        return Err(CxError::GroupOutOfRange {
            index,
            group: i64::from(c),
            groups: n,
        });
    }
    Ok(())
}

/// The customer view: survey answers and purchases joined per customer (see the
/// [module docs](mod@crate::customer_view) for every rule).
///
/// `ids` are the customer ids that the codes of both inputs index (e.g. from
/// [`join_keys`](super::join_keys)).
///
/// # Formula
/// ```text
/// recency_days = cutoff − last purchase day        frequency = purchase days
/// monetary     = net revenue / purchase days        tenure_days = cutoff − first purchase day
/// active       = recency_days < active_days
/// latest_j     = answer j of the latest response with one    mean_j = Σ answers_j / count_j
/// ```
///
/// # Errors
/// [`CxError::LengthMismatch`] for columns of different lengths (naming the column);
/// [`CxError::GroupOutOfRange`] for a code not below `ids.len()`; [`CxError::OutOfScale`] /
/// [`CxError::NonInteger`] for an NPS answer that is not a point of 0-10;
/// [`CxError::InvalidArgument`] for an infinite rating or revenue (naming the column and the
/// index), an unknown `nps` column, a duplicate rating name, `active_days` = 0, or a date more
/// than 10,000,000 days from 1970; [`CxError::EmptyInput`] when neither input has a usable row;
/// the errors of the CLV model's projections.
///
/// # Examples
/// ```
/// use cx_core::customer_view::{customer_view, join_keys, CustomerViewOptions, RatingColumn,
///     SurveyTable, TransactionLog, NpsCategory};
/// use cx_core::grouping::Key;
/// let k = |s: &str| Some(Key::Str(s.into()));
/// // a answered twice (nps 6 then 9), c once; a and b bought
/// let (s, t, ids) = join_keys(&[k("a"), k("a"), k("c")], &[k("a"), k("b"), k("a")]);
/// let nps = [6.0, 9.0, 10.0];
/// let survey = SurveyTable {
///     customers: &s,
///     days: Some(&[100, 110, 105]),
///     ratings: vec![RatingColumn { name: "nps", values: &nps }],
/// };
/// let log = TransactionLog { customers: &t, days: &[10, 20, 110], revenue: &[5.0, 7.0, 15.0] };
/// let v = customer_view(ids, &survey, &log, &CustomerViewOptions::default())?;
/// assert_eq!(v.cutoff, 110);
/// assert_eq!(v.rating("nps").unwrap().latest, vec![Some(9.0), None, Some(10.0)]);
/// assert_eq!(v.rating("nps").unwrap().mean[0], Some(7.5));
/// assert_eq!(v.nps_category[0], Some(NpsCategory::Promoter));
/// assert_eq!(v.frequency, vec![2, 1, 0]);
/// assert_eq!(v.recency_days, vec![Some(0), Some(90), None]);
/// assert_eq!(v.in_transactions, vec![true, true, false]);
/// assert_eq!(v.in_survey, vec![true, false, true]);
/// # Ok::<(), cx_core::CxError>(())
/// ```
///
/// # References
/// See the [module docs](mod@crate::customer_view).
pub fn customer_view(
    ids: Vec<Key>,
    survey: &SurveyTable,
    transactions: &TransactionLog,
    options: &CustomerViewOptions,
) -> Result<CustomerView> {
    let n = ids.len();
    let rows = survey.customers.len();
    if let Some(days) = survey.days {
        check_len("survey customers", rows, "survey dates", days.len())?;
    }
    for r in &survey.ratings {
        check_len("survey customers", rows, "rating column", r.values.len()).map_err(|_| {
            CxError::InvalidArgument {
                name: "ratings",
                value: format!("column {:?} with {} values", r.name, r.values.len()),
                expected: format!("{rows} values, one per survey row"),
            }
        })?;
    }
    for (j, r) in survey.ratings.iter().enumerate() {
        if survey.ratings[..j].iter().any(|o| o.name == r.name) {
            return Err(CxError::InvalidArgument {
                name: "ratings",
                value: format!("{:?} (twice)", r.name),
                expected: "distinct rating column names".into(),
            });
        }
    }
    // The log's columns now, its rows after the survey's: the order of the view's errors.
    transactions.check_lengths(&LOG)?;
    if options.active_days == 0 {
        return Err(CxError::InvalidArgument {
            name: "active_days",
            value: "0".into(),
            expected: "a window of at least 1 day".into(),
        });
    }
    let nps_column = match &options.nps {
        Some(name) => match survey.ratings.iter().position(|r| r.name == name) {
            Some(j) => Some(j),
            None => {
                return Err(CxError::InvalidArgument {
                    name: "nps",
                    value: format!("{name:?}"),
                    expected: format!(
                        "one of the rating columns {:?}",
                        survey.ratings.iter().map(|r| r.name).collect::<Vec<_>>()
                    ),
                })
            }
        },
        None => survey.ratings.iter().position(|r| r.name == "nps"),
    };

    // Validation and the default cut-off: one pass over each input's days and values.
    let mut max_day = NONE;
    for (i, &c) in survey.customers.iter().enumerate() {
        code_check(c, n, i)?;
        if let Some(days) = survey.days {
            let d = days[i];
            if d != MISSING_DAY {
                if !day_in_range(d) {
                    return Err(day_out_of_range("survey dates", d, i));
                }
                if c != MISSING_CUSTOMER {
                    max_day = max_day.max(d);
                }
            }
        }
    }
    for (j, r) in survey.ratings.iter().enumerate() {
        for (i, &v) in r.values.iter().enumerate() {
            if v.is_nan() {
                continue;
            }
            if Some(j) == nps_column {
                if !(0.0..=10.0).contains(&v) {
                    return Err(CxError::OutOfScale {
                        index: i,
                        value: v,
                        lowest: 0,
                        highest: 10,
                    });
                }
                if v.fract() != 0.0 {
                    return Err(CxError::NonInteger {
                        index: i,
                        value: v,
                        lowest: 0,
                        highest: 10,
                    });
                }
            } else if v.is_infinite() {
                return Err(CxError::InvalidArgument {
                    name: "ratings",
                    value: format!("{v} in column {:?} at index {i}", r.name),
                    expected: "finite ratings (NaN for missing)".into(),
                });
            }
        }
    }
    let log = transactions.validate(n, &LOG)?;
    if let Some((_, last)) = log.days {
        max_day = max_day.max(last);
    }
    let cutoff = match options.cutoff {
        Some(d) if !day_in_range(d) => return Err(day_out_of_range("cutoff", d, 0)),
        Some(d) => d,
        None if max_day == NONE => {
            if survey.days.is_none() && survey.customers.iter().any(|&c| c != MISSING_CUSTOMER) {
                0
            } else {
                return Err(CxError::empty(
                    "no survey response or transaction with a customer id and a date",
                ));
            }
        }
        None => max_day,
    };

    // The survey: one pass.
    let m = survey.ratings.len();
    let mut sv = vec![
        Sv {
            responses: 0,
            last_day: NONE
        };
        n
    ];
    let mut rt = vec![
        Rt {
            sum: 0.0,
            count: 0,
            latest: f64::NAN,
            day: NONE,
        };
        n * m
    ];
    let (mut survey_missing, mut survey_after) = (0u64, 0u64);
    for (i, &c) in survey.customers.iter().enumerate() {
        // Undated surveys order responses by row.
        let day = match survey.days {
            Some(days) => days[i],
            None => i as i64,
        };
        if c == MISSING_CUSTOMER || day == MISSING_DAY {
            survey_missing += 1;
            continue;
        }
        if survey.days.is_some() && day > cutoff {
            survey_after += 1;
            continue;
        }
        let c = c as usize;
        let s = &mut sv[c];
        s.responses += 1;
        s.last_day = s.last_day.max(day);
        let row = &mut rt[c * m..(c + 1) * m];
        for (st, col) in row.iter_mut().zip(&survey.ratings) {
            let v = col.values[i];
            if v.is_nan() {
                continue;
            }
            st.sum += v;
            st.count += 1;
            if day >= st.day {
                st.day = day;
                st.latest = v;
            }
        }
    }

    // The log: one pass when each customer's rows come in date order, else a counting sort by
    // customer (as rfm does).
    let mut tx = vec![
        Tx {
            rows: 0,
            revenue: 0.0
        };
        n
    ];
    let mut purchases = Purchases::new(n);
    let mut tx_after = 0u64;
    let mut sorted = true;
    for (c, d, r) in log.rows() {
        if d > cutoff {
            tx_after += 1;
            continue;
        }
        let s = &mut tx[c];
        s.rows += 1;
        s.revenue += r;
        sorted = sorted && purchases.push(c, d, r);
    }
    if !sorted {
        purchases = Purchases::by_customer(n, || log.rows().filter(move |&(_, d, _)| d <= cutoff));
    }

    // Customers with at least one usable row in either input.
    let keep: Vec<usize> = (0..n)
        .filter(|&c| sv[c].responses > 0 || tx[c].rows > 0)
        .collect();
    if keep.is_empty() {
        return Err(CxError::empty(
            "no survey response or transaction with a customer id up to the cut-off",
        ));
    }
    let k = keep.len();
    let dated = survey.days.is_some();
    let mut view = CustomerView {
        customers: Vec::with_capacity(k),
        cutoff,
        active_days: options.active_days,
        in_survey: Vec::with_capacity(k),
        in_transactions: Vec::with_capacity(k),
        responses: Vec::with_capacity(k),
        last_response: Vec::with_capacity(k),
        response_recency_days: Vec::with_capacity(k),
        ratings: survey
            .ratings
            .iter()
            .map(|r| RatingSummary {
                name: r.name.to_string(),
                latest: Vec::with_capacity(k),
                mean: Vec::with_capacity(k),
                count: Vec::with_capacity(k),
            })
            .collect(),
        nps_column: nps_column.map(|j| survey.ratings[j].name.to_string()),
        nps_category: Vec::new(),
        first_purchase: Vec::with_capacity(k),
        last_purchase: Vec::with_capacity(k),
        recency_days: Vec::with_capacity(k),
        frequency: Vec::with_capacity(k),
        monetary: Vec::with_capacity(k),
        revenue: Vec::with_capacity(k),
        tenure_days: Vec::with_capacity(k),
        active: Vec::with_capacity(k),
        expected_purchases: Vec::new(),
        p_alive: Vec::new(),
        clv: Vec::new(),
        survey_missing,
        survey_after_cutoff: survey_after,
        transactions_missing: log.missing,
        transactions_after_cutoff: tx_after,
    };
    let mut ids: Vec<Option<Key>> = ids.into_iter().map(Some).collect();
    for &c in &keep {
        view.customers.push(ids[c].take().unwrap_or(Key::Missing));
        let s = sv[c];
        view.in_survey.push(s.responses > 0);
        view.responses.push(s.responses);
        let last = (dated && s.responses > 0).then_some(s.last_day);
        view.last_response.push(last);
        view.response_recency_days.push(last.map(|d| cutoff - d));
        for (j, summary) in view.ratings.iter_mut().enumerate() {
            let st = rt[c * m + j];
            let some = st.count > 0;
            summary.latest.push(some.then_some(st.latest));
            summary
                .mean
                .push(some.then(|| st.sum / f64::from(st.count)));
            summary.count.push(st.count);
        }
        if let Some(j) = nps_column {
            let st = rt[c * m + j];
            view.nps_category
                .push((st.count > 0).then(|| NpsCategory::of(st.latest)));
        }
        let (t, p) = (tx[c], purchases.get(c));
        view.in_transactions.push(t.rows > 0);
        view.revenue.push(t.revenue);
        view.frequency.push(p.days);
        let span = p.span();
        view.first_purchase.push(span.map(|(first, _)| first));
        view.last_purchase.push(span.map(|(_, last)| last));
        view.recency_days.push(span.map(|(_, last)| cutoff - last));
        view.tenure_days.push(span.map(|(first, _)| cutoff - first));
        view.monetary
            .push(span.map(|_| t.revenue / f64::from(p.days)));
        view.active
            .push(span.map(|(_, last)| cutoff - last < i64::from(options.active_days)));
    }

    if let Some(model) = &options.clv {
        add_clv(&mut view, model, &keep, &purchases)?;
    }
    Ok(view)
}
