use super::*;
use crate::scale::Scale;

/// Numeric feature columns from their names and values.
fn numeric<'a>(names: &'a [String], cols: &'a [Vec<f64>]) -> Vec<NumericFeature<'a>> {
    names
        .iter()
        .zip(cols)
        .map(|(name, values)| NumericFeature { name, values })
        .collect()
}

#[test]
fn same_personas_as_python_and_node() {
    let text = include_str!("../../../testdata/personas.json");
    let fx: serde_json::Value = serde_json::from_str(text).unwrap();
    let names: Vec<String> = serde_json::from_value(fx["features"].clone()).unwrap();
    let cols: Vec<Vec<f64>> = names
        .iter()
        .map(|n| serde_json::from_value(fx["columns"][n].clone()).unwrap())
        .collect();
    let features = numeric(&names, &cols);
    let o = PersonaOptions {
        k_min: fx["k_min"].as_u64().unwrap() as usize,
        k_max: fx["k_max"].as_u64().unwrap() as usize,
        seed: fx["seed"].as_u64().unwrap(),
        ..PersonaOptions::default()
    };
    let p = personas(&features, &[], &ProfileColumns::default(), &o).unwrap();
    let e = &fx["expected"];
    assert_eq!(p.k as u64, e["k"].as_u64().unwrap());
    let want: Vec<Option<usize>> = serde_json::from_value(e["assignments"].clone()).unwrap();
    assert_eq!(p.assignments, want);
    for (s, w) in p.scores.iter().zip(e["silhouette"].as_array().unwrap()) {
        assert!((s.silhouette.unwrap() - w.as_f64().unwrap()).abs() < 1e-9);
    }
    let labels: Vec<String> = serde_json::from_value(e["labels"].clone()).unwrap();
    assert_eq!(
        p.personas
            .iter()
            .map(|q| q.label.clone())
            .collect::<Vec<_>>(),
        labels
    );

    // the same per-persona CX index, key drivers and needs
    let col =
        |name: &str| -> Vec<f64> { serde_json::from_value(fx["columns"][name].clone()).unwrap() };
    let names =
        |key: &str| -> Vec<String> { serde_json::from_value(fx["profile"][key].clone()).unwrap() };
    let loyal = col(fx["profile"]["loyalty"].as_str().unwrap());
    let driver_cols: Vec<Vec<f64>> = names("drivers").iter().map(|n| col(n)).collect();
    let driver_names: Vec<String> = names("drivers")
        .iter()
        .map(|n| n.trim_end_matches("_mean").to_string())
        .collect();
    let drivers = numeric(&driver_names, &driver_cols);
    let cx_cols: Vec<Vec<f64>> = names("cx_dims").iter().map(|n| col(n)).collect();
    let dim_names: Vec<String> = names("cx_dims")
        .iter()
        .map(|n| n.trim_end_matches("_latest").to_string())
        .collect();
    let cx = CxColumns {
        dims: dim_names
            .iter()
            .map(|n| Dimension::new(n.clone(), Scale::agreement()))
            .collect(),
        columns: cx_cols.iter().map(Vec::as_slice).collect(),
        options: CxOptions::default(),
    };
    let prof = ProfileColumns {
        loyalty: Some(&loyal),
        cx: Some(&cx),
        drivers: &drivers,
        ..ProfileColumns::default()
    };
    let p = personas(&features, &[], &prof, &o).unwrap();
    let want = fx["expected_profile"].as_array().unwrap();
    assert_eq!(p.personas.len(), want.len());
    for (q, w) in p.personas.iter().zip(want) {
        let c = q.cx_index.as_ref().unwrap();
        assert!((c.estimate - w["cx_index"].as_f64().unwrap()).abs() < 1e-9);
        assert!((c.std_error - w["cx_std_error"].as_f64().unwrap()).abs() < 1e-9);
        let d = q.drivers.as_ref().unwrap();
        assert!((d.r_squared.unwrap() - w["r_squared"].as_f64().unwrap()).abs() < 1e-9);
        for (x, wd) in d.ranking.iter().zip(w["drivers"].as_array().unwrap()) {
            assert_eq!(x.driver, wd[0].as_str().unwrap());
            assert!((x.share - wd[1].as_f64().unwrap()).abs() < 1e-9);
            assert!((x.beta - wd[2].as_f64().unwrap()).abs() < 1e-9);
        }
        let needs: Vec<String> = serde_json::from_value(w["needs"].clone()).unwrap();
        assert_eq!(q.needs, needs);
    }
}
