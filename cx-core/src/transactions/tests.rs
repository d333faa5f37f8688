//! Tests of the shared validator (each reader's rules) and of the purchase accumulator.

use super::{Purchases, Reader, TransactionLog, MISSING_CUSTOMER};
use crate::error::CxError;
use crate::period::MISSING_DAY;

const STRICT: Reader = Reader {
    customers: "transaction customers",
    dates: "transaction dates",
    skipped_dates: true,
    ids_first: true,
};
const LAX: Reader = Reader {
    customers: "customers",
    dates: "dates",
    skipped_dates: false,
    ids_first: false,
};
const SKIPPED_DATES: Reader = Reader {
    skipped_dates: true,
    ..LAX
};

/// The error (or the missing count) of a one-row log for two customers.
fn one_row(c: u32, d: i64, r: f64, reader: &Reader) -> Result<u64, CxError> {
    let log = TransactionLog {
        customers: &[c],
        days: &[d],
        revenue: &[r],
    };
    log.validate(2, reader).map(|t| t.missing)
}

#[test]
fn each_reader_checks_its_rows_in_its_order() {
    let far = 10_000_001;
    // A code out of range on a skipped row: only a reader with ids_first sees it.
    assert!(matches!(
        one_row(5, MISSING_DAY, 1.0, &STRICT),
        Err(CxError::GroupOutOfRange { group: 5, .. })
    ));
    assert_eq!(one_row(5, MISSING_DAY, 1.0, &SKIPPED_DATES).ok(), Some(1));
    // A date out of range on a skipped row: only a reader with skipped_dates sees it.
    assert_eq!(one_row(MISSING_CUSTOMER, far, 1.0, &LAX).ok(), Some(1));
    let e = one_row(MISSING_CUSTOMER, far, 1.0, &SKIPPED_DATES).unwrap_err();
    assert!(
        matches!(e, CxError::InvalidArgument { name: "dates", .. }),
        "{e}"
    );
    let e = one_row(0, far, f64::NAN, &STRICT).unwrap_err();
    assert!(
        matches!(
            e,
            CxError::InvalidArgument {
                name: "transaction dates",
                ..
            }
        ),
        "{e}"
    );
    // Several faults on one row: the code first with ids_first, else revenue, date, code.
    assert!(matches!(
        one_row(5, far, f64::INFINITY, &STRICT),
        Err(CxError::GroupOutOfRange { .. })
    ));
    for reader in [&LAX, &SKIPPED_DATES] {
        assert!(matches!(
            one_row(5, far, f64::INFINITY, reader),
            Err(CxError::InvalidArgument {
                name: "revenue",
                ..
            })
        ));
        assert!(matches!(
            one_row(5, far, 1.0, reader),
            Err(CxError::InvalidArgument { name: "dates", .. })
        ));
        assert!(matches!(
            one_row(5, 0, 1.0, reader),
            Err(CxError::GroupOutOfRange { index: 0, .. })
        ));
    }
    // An infinite revenue is an error on every row, skipped or not.
    for reader in [&LAX, &SKIPPED_DATES, &STRICT] {
        assert!(matches!(
            one_row(MISSING_CUSTOMER, MISSING_DAY, f64::NEG_INFINITY, reader),
            Err(CxError::InvalidArgument {
                name: "revenue",
                ..
            })
        ));
    }
}

#[test]
fn messages_and_summary() {
    let e = one_row(0, -10_000_001, 1.0, &LAX).unwrap_err();
    assert_eq!(
        e.to_string(),
        CxError::InvalidArgument {
            name: "dates",
            value: "-10000001 days since 1970-01-01 at index 0".into(),
            expected: "dates within 10000000 days of 1970-01-01".into(),
        }
        .to_string()
    );
    let short = TransactionLog {
        customers: &[0, 1],
        days: &[3],
        revenue: &[1.0, 2.0],
    };
    assert!(matches!(
        short.validate(2, &STRICT),
        Err(CxError::LengthMismatch {
            left_name: "transaction customers",
            right_name: "transaction dates",
            ..
        })
    ));
    let log = TransactionLog {
        customers: &[0, MISSING_CUSTOMER, 1, 0, 1],
        days: &[9, 3, MISSING_DAY, -10_000_000, 4],
        revenue: &[1.0, 2.0, 3.0, f64::NAN, -2.0],
    };
    let t = log.validate(2, &LAX).unwrap();
    assert_eq!((t.len(), t.missing, t.days), (5, 3, Some((4, 9))));
    assert_eq!(
        t.rows().collect::<Vec<_>>(),
        vec![(0, 9, 1.0), (1, 4, -2.0)]
    );
}

#[test]
fn purchases_in_any_order_equal_the_sorted_pass() {
    // Customer 0 buys on days 0, 0, 10 and 30 (and a refund on day 10), customer 1 on day 20,
    // customer 2 only refunds: as in the rfm example.
    let rows = [
        (0, 0, 5.0),
        (0, 0, 5.0),
        (0, 10, 20.0),
        (0, 10, -3.0),
        (1, 20, 8.0),
        (2, 25, -1.0),
        (0, 30, 40.0),
    ];
    let sorted = Purchases::collect(3, || rows.iter().copied());
    let mut shuffled = rows;
    shuffled.reverse();
    let fallback = Purchases::collect(3, || shuffled.iter().copied());
    for acc in [&sorted, &fallback] {
        let p = acc.get(0);
        assert_eq!((p.span(), p.days), (Some((0, 30)), 3));
        let r = p.rfm(40, 1.0).unwrap();
        assert_eq!((r.frequency, r.recency, r.t), (2.0, 30.0, 40.0));
        assert_eq!(r.monetary_value, (20.0 - 3.0 + 40.0) / 2.0);
        assert_eq!(acc.get(1).rfm(40, 7.0).unwrap().t, 20.0 / 7.0);
        assert_eq!((acc.get(2).span(), acc.get(2).rfm(40, 1.0)), (None, None));
    }
    let mut out_of_order = Purchases::new(1);
    assert!(out_of_order.push(0, 5, 1.0));
    assert!(!out_of_order.push(0, 4, 1.0));
    assert_eq!(out_of_order.get(0).span(), Some((5, 5)));
}
