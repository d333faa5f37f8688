use super::*;
use crate::error::CxError;
use crate::scale::Scale;
use crate::segment::GroupEstimator;

#[test]
fn weights_resolve_and_reject() {
    assert_eq!(DimWeights::Equal.resolve(4).unwrap(), vec![0.25; 4]);
    assert_eq!(
        DimWeights::Given(vec![1.0, 3.0]).resolve(2).unwrap(),
        vec![0.25, 0.75]
    );
    let e = DimWeights::Given(vec![1.0]).resolve(3).unwrap_err();
    assert_eq!(
        e,
        CxError::LengthMismatch {
            left_name: "dims",
            left: 3,
            right_name: "dim_weights",
            right: 1
        }
    );
    for bad in [vec![-1.0, 1.0], vec![f64::NAN, 1.0], vec![0.0, 0.0]] {
        assert_eq!(
            DimWeights::Given(bad).resolve(2).unwrap_err().code(),
            "invalid_argument"
        );
    }
    let derived = DimWeights::Derived(DerivedWeights {
        weights: vec![0.2, 0.2, 0.6],
        source: "key drivers of retained".into(),
    });
    assert!((derived.resolve(3).unwrap()[2] - 0.6).abs() < 1e-15);
    let dims = Dimension::defaults();
    assert_eq!(
        DimWeights::by_name(&dims, &[("emotio", 1.0)])
            .unwrap_err()
            .code(),
        "invalid_argument"
    );
    assert!(DimWeights::by_name(&dims, &[("ease", 1.0)]).is_err());
}

#[test]
fn bands_cut_at_lower_bounds() {
    let b = Bands::default();
    assert_eq!(b.band(54.99), Band::VeryPoor);
    assert_eq!(b.band(55.0), Band::Poor);
    assert_eq!(b.band(74.9), Band::Okay);
    assert_eq!(b.band(75.0), Band::Good);
    assert_eq!(b.band(100.0), Band::Excellent);
    assert_eq!(b.band(-100.0), Band::VeryPoor);
    assert!(Bands::new(&[1.0, 2.0, 3.0]).is_err());
    assert!(Bands::new(&[1.0, 2.0, 3.0, f64::INFINITY]).is_err());
    assert!(Bands::new(&[4.0, 3.0, 2.0, 1.0]).is_err());
    let json = serde_json::to_string(&b).unwrap();
    assert_eq!(json, "[55.0,65.0,75.0,85.0]");
    assert!(serde_json::from_str::<Bands>("[3.0,2.0,1.0,0.0]").is_err());
    assert_eq!(
        serde_json::to_string(&Band::VeryPoor).unwrap(),
        "\"very poor\""
    );
}

#[test]
fn empty_dimension_is_an_error_and_none_in_tables() {
    let nan = f64::NAN;
    let s = CxSummary::from_columns(
        Dimension::defaults(),
        &[&[5.0, 4.0][..], &[nan, nan], &[3.0, 2.0]],
        None,
        false,
    )
    .unwrap();
    let e = cx_index(&s, &CxOptions::default()).unwrap_err();
    assert_eq!(e.code(), "empty_input");
    assert!(e.to_string().contains("\"ease\""));
    assert!(GroupEstimator::estimate(&CxOptions::default(), &s)
        .unwrap()
        .is_none());
    let mean = CxOptions {
        method: CxMethod::Mean,
        ..Default::default()
    };
    let one = CxSummary::from_columns(
        vec![Dimension::new("x", Scale::agreement())],
        &[&[4.0][..]],
        None,
        false,
    )
    .unwrap();
    assert_eq!(
        cx_index(&one, &mean).unwrap_err().code(),
        "insufficient_data"
    );
    assert_eq!(
        cx_index(&one, &CxOptions::default()).unwrap().std_error,
        0.0
    );
}
