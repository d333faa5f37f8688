//! Shared pieces of the fuzz targets: hostile numbers, typed columns, and the checks every
//! result must pass (finite numbers, shares in 0..1, NPS in -100..100, intervals inside their
//! bounds). A target is one small file in `fuzz_targets/` that decodes its input with these
//! types and calls one `fuzz_*` / `check_*` function; a new summary with a bytes or JSON form
//! needs one [`Summary`] impl here (or a closure) and a three-line target.

use std::alloc::{GlobalAlloc, Layout, System};
use std::fmt::Debug;
use std::sync::atomic::{AtomicUsize, Ordering};

use arbitrary::Arbitrary;
use cx_core::{
    bottom_box, csat, distribution, mean, nps, top_box, CxError, Interval, Mean, Nps, NpsMethod,
    NpsOptions, Proportion, ProportionMethod, ProportionOptions, Scale, Tally,
};
use serde::Serialize;
use serde_value::Value;

// ---------------------------------------------------------------------------------------------
// Memory: a counting allocator, so that readers of untrusted bytes can be held to a bound.

/// The system allocator with a count of live bytes and their high-water mark.
pub struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Run `f` and return its result with the most bytes it had allocated at once (above what was
/// live when it started).
pub fn peak_during<R>(f: impl FnOnce() -> R) -> (R, usize) {
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let r = f();
    (r, PEAK.load(Ordering::Relaxed).saturating_sub(base))
}

/// The documented bound on what reading untrusted bytes may allocate: 16 bytes per input byte
/// plus 64 KiB (see RELIABILITY.md).
pub const BYTES_PER_INPUT_BYTE: usize = 16;
/// The fixed part of the bound.
pub const FIXED_ALLOWANCE: usize = 64 * 1024;
/// JSON text is looser (a 2-character `0,` becomes an 8-byte number in a growing vector).
pub const JSON_BYTES_PER_INPUT_BYTE: usize = 64;

// ---------------------------------------------------------------------------------------------
// Hostile numbers.

/// Doubles the fuzzer should not have to discover bit by bit.
pub const SPECIALS: [f64; 28] = [
    f64::NAN,
    f64::INFINITY,
    f64::NEG_INFINITY,
    0.0,
    -0.0,
    5e-324, // smallest subnormal
    f64::MIN_POSITIVE,
    1e-101,
    1e-100,
    1e100,
    1e101,
    1e308,
    f64::MAX,
    -f64::MAX,
    -1.0,
    0.5,
    1.0,
    2.0,
    3.0,
    5.0,
    7.0,
    9.0,
    10.0,
    10.5,
    11.0,
    1e16,
    9007199254740993.0, // 2^53 + 1 (rounds to 2^53)
    4294967296.0,       // 2^32
];

/// A double: a small integer (a likely scale point), any bit pattern, or a special value.
#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum Num {
    /// A small integer.
    Point(i8),
    /// Any bit pattern.
    Bits(u64),
    /// One of [`SPECIALS`].
    Special(u8),
}

impl Num {
    /// The double it stands for.
    pub fn get(self) -> f64 {
        match self {
            Num::Point(i) => f64::from(i),
            Num::Bits(b) => f64::from_bits(b),
            Num::Special(k) => SPECIALS[k as usize % SPECIALS.len()],
        }
    }
}

/// An integer: a small one (likely a scale point) or any.
#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum Int {
    /// A small integer.
    Point(i8),
    /// Any value.
    Raw(i64),
}

impl Int {
    /// The integer it stands for.
    pub fn get(self) -> i64 {
        match self {
            Int::Point(i) => i64::from(i),
            Int::Raw(x) => x,
        }
    }
}

/// A column of ratings in one of the element types the constructors take.
#[derive(Arbitrary, Debug, Clone)]
pub enum Column {
    /// Bytes.
    U8(Vec<u8>),
    /// 32-bit integers.
    I32(Vec<i32>),
    /// 64-bit integers.
    I64(Vec<Int>),
    /// Unsigned 64-bit integers.
    U64(Vec<u64>),
    /// Single precision.
    F32(Vec<Num>),
    /// Double precision.
    F64(Vec<Num>),
}

impl Column {
    /// Rows.
    pub fn len(&self) -> usize {
        match self {
            Column::U8(v) => v.len(),
            Column::I32(v) => v.len(),
            Column::I64(v) => v.len(),
            Column::U64(v) => v.len(),
            Column::F32(v) => v.len(),
            Column::F64(v) => v.len(),
        }
    }
    /// Whether it has no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The values as doubles (for columns that must share a type).
    pub fn as_f64(&self) -> Vec<f64> {
        match self {
            Column::U8(v) => v.iter().map(|&x| f64::from(x)).collect(),
            Column::I32(v) => v.iter().map(|&x| f64::from(x)).collect(),
            Column::I64(v) => v.iter().map(|x| x.get() as f64).collect(),
            Column::U64(v) => v.iter().map(|&x| x as f64).collect(),
            Column::F32(v) => v.iter().map(|x| x.get() as f32 as f64).collect(),
            Column::F64(v) => v.iter().map(|x| x.get()).collect(),
        }
    }
}

/// Apply a generic function to the typed slice of a [`Column`].
#[macro_export]
macro_rules! with_column {
    ($col:expr, |$v:ident| $body:expr) => {
        match $col {
            $crate::Column::U8(x) => {
                let $v: &[u8] = &x[..];
                $body
            }
            $crate::Column::I32(x) => {
                let $v: &[i32] = &x[..];
                $body
            }
            $crate::Column::I64(x) => {
                let owned: Vec<i64> = x.iter().map(|n| n.get()).collect();
                let $v: &[i64] = &owned[..];
                $body
            }
            $crate::Column::U64(x) => {
                let $v: &[u64] = &x[..];
                $body
            }
            $crate::Column::F32(x) => {
                let owned: Vec<f32> = x.iter().map(|n| n.get() as f32).collect();
                let $v: &[f32] = &owned[..];
                $body
            }
            $crate::Column::F64(x) => {
                let owned: Vec<f64> = x.iter().map(|n| n.get()).collect();
                let $v: &[f64] = &owned[..];
                $body
            }
        }
    };
}

/// Optional weights: any doubles; `fit` pads or cuts them to the number of values unless the
/// fuzzer asks for a length mismatch.
#[derive(Arbitrary, Debug, Clone)]
pub struct Weights {
    /// The weights.
    pub values: Vec<Num>,
    /// Keep the length as generated (usually a mismatch: must be an error).
    pub keep_length: bool,
}

impl Weights {
    /// The weights for `n` values.
    pub fn fit(&self, n: usize) -> Vec<f64> {
        let mut w: Vec<f64> = self.values.iter().map(|x| x.get()).collect();
        if !self.keep_length {
            w.resize(n, 1.0);
        }
        w
    }
}

/// A scale: a preset or any four integers (invalid ones must be errors).
#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum ScaleChoice {
    /// 0..=10.
    Nps,
    /// 1..=5.
    Csat,
    /// 1..=7.
    Ces,
    /// Any bounds and boxes.
    Custom(i32, i32, i32, i32),
    /// A near-valid custom scale: `lowest`, up to 127 more points.
    Near(i8, u8),
}

impl ScaleChoice {
    /// The scale, or the error its bounds give.
    pub fn get(self) -> Result<Scale, CxError> {
        match self {
            ScaleChoice::Nps => Ok(Scale::nps()),
            ScaleChoice::Csat => Ok(Scale::csat()),
            ScaleChoice::Ces => Ok(Scale::ces()),
            ScaleChoice::Custom(lo, hi, top, bottom) => Scale::with_boxes(lo, hi, top, bottom),
            ScaleChoice::Near(lo, span) => {
                let lo = i32::from(lo);
                let hi = lo + i32::from(span & 127);
                Scale::with_boxes(lo, hi, hi, lo)
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Checks.

/// Every `f64` reachable from `x` (through structs, vectors, maps and options) is finite.
pub fn assert_all_finite<T: Serialize + Debug>(x: &T) {
    let v = serde_value::to_value(x).expect("results serialise");
    let mut bad = Vec::new();
    walk(&v, &mut String::new(), &mut bad);
    assert!(bad.is_empty(), "non-finite fields {bad:?} in {x:?}");
}

fn walk(v: &Value, path: &mut String, bad: &mut Vec<String>) {
    match v {
        Value::F64(x) if !x.is_finite() => bad.push(format!("{path} = {x}")),
        Value::F32(x) if !x.is_finite() => bad.push(format!("{path} = {x}")),
        Value::Option(Some(b)) | Value::Newtype(b) => walk(b, path, bad),
        Value::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                walk(item, path, bad);
                path.truncate(len);
            }
        }
        Value::Map(m) => {
            for (k, item) in m {
                let len = path.len();
                match k {
                    Value::String(s) => path.push_str(&format!(".{s}")),
                    other => path.push_str(&format!(".{other:?}")),
                }
                walk(item, path, bad);
                path.truncate(len);
            }
        }
        _ => {}
    }
}

/// `lo <= x <= hi` with a little room for rounding.
pub fn assert_within(what: &str, x: f64, lo: f64, hi: f64) {
    let eps = 1e-9 * (hi - lo).abs().max(1.0);
    assert!(
        x.is_finite() && x >= lo - eps && x <= hi + eps,
        "{what} = {x} is outside [{lo}, {hi}]"
    );
}

/// An interval with finite, ordered bounds inside `lo..=hi`, at the requested level.
pub fn assert_interval(what: &str, iv: &Interval, lo: f64, hi: f64, level: f64) {
    assert_within(&format!("{what}.lower"), iv.lower, lo, hi);
    assert_within(&format!("{what}.upper"), iv.upper, lo, hi);
    assert!(iv.lower <= iv.upper, "{what}: {iv:?} is reversed");
    assert_eq!(iv.level, level, "{what}: level");
}

/// A confidence level is valid when strictly between 0 and 1.
pub fn level_ok(level: f64) -> bool {
    level > 0.0 && level < 1.0
}

/// An error that must never come out of a computation on valid inputs.
pub fn assert_clean_error(e: &CxError) {
    let code = e.code();
    assert!(!code.is_empty(), "error without a code: {e:?}");
    let msg = e.to_string();
    assert!(!msg.is_empty(), "error without a message: {e:?}");
}

/// A tally's own invariants (what `validate` checks on deserialised input).
pub fn assert_tally(t: &Tally) {
    let k = t.scale().points();
    assert_eq!(t.counts().len(), k);
    assert_eq!(t.weights().len(), k);
    assert_eq!(t.weights_sq().len(), k);
    for i in 0..k {
        let (c, w, w2) = (t.counts()[i], t.weights()[i], t.weights_sq()[i]);
        assert!(
            w.is_finite() && w >= 0.0 && w2.is_finite() && w2 >= 0.0,
            "{t:?}"
        );
        if c == 0 {
            assert!(w == 0.0 && w2 == 0.0, "{t:?}");
        }
    }
    let ne = t.effective_n();
    assert!(ne.is_finite() && ne >= 0.0, "effective n {ne} of {t:?}");
    assert!(
        ne <= t.n() as f64 * (1.0 + 1e-9) + 1e-9,
        "effective n {ne} > n {}",
        t.n()
    );
}

/// An NPS result: points in -100..=100, shares in 0..=1 summing to 1, counts adding up.
pub fn assert_nps(r: &Nps, level: f64) {
    assert_all_finite(r);
    assert_within("nps", r.estimate, -100.0, 100.0);
    assert_interval("nps.interval", &r.interval, -100.0, 100.0, level);
    assert!(r.std_error >= 0.0);
    for (name, s) in [
        ("promoters", r.promoter_share),
        ("passives", r.passive_share),
        ("detractors", r.detractor_share),
    ] {
        assert_within(name, s, 0.0, 1.0);
    }
    assert_within(
        "share sum",
        r.promoter_share + r.passive_share + r.detractor_share,
        1.0 - 1e-9,
        1.0 + 1e-9,
    );
    assert_eq!(r.promoters + r.passives + r.detractors, r.n);
}

/// A share: estimate and interval in 0..=1.
pub fn assert_proportion(what: &str, r: &Proportion, level: f64) {
    assert_all_finite(r);
    assert_within(what, r.estimate, 0.0, 1.0);
    assert_interval(what, &r.interval, 0.0, 1.0, level);
    assert!(r.std_error >= 0.0 && r.count <= r.n, "{what}: {r:?}");
}

/// A mean rating: estimate and interval on the scale.
pub fn assert_mean(r: &Mean, scale: Scale, level: f64) {
    assert_all_finite(r);
    let (lo, hi) = (f64::from(scale.lowest()), f64::from(scale.highest()));
    assert_within("mean", r.estimate, lo, hi);
    assert_interval("mean.interval", &r.interval, lo, hi, level);
    assert!(r.std_error >= 0.0 && r.std_dev >= 0.0, "{r:?}");
}

/// Every estimator of one tally, with every interval method, at `level`: a valid result or an
/// error, never a panic; an invalid level is always an error.
pub fn check_estimators(t: &Tally, level: f64) {
    assert_tally(t);
    let scale = t.scale();
    for method in [NpsMethod::AdjustedWald, NpsMethod::Wald, NpsMethod::Score] {
        let opts = NpsOptions {
            level,
            method,
            ..NpsOptions::default()
        };
        match nps(t, &opts) {
            Ok(r) => {
                assert!(level_ok(level));
                assert_nps(&r, level);
            }
            Err(e) => assert_clean_error(&e),
        }
    }
    for method in [
        ProportionMethod::Wilson,
        ProportionMethod::Wald,
        ProportionMethod::AgrestiCoull,
        ProportionMethod::ClopperPearson,
        ProportionMethod::Jeffreys,
    ] {
        let opts = ProportionOptions { level, method };
        for (what, r) in [
            ("top_box", top_box(t, &opts)),
            ("bottom_box", bottom_box(t, &opts)),
            ("csat", csat(t, &opts)),
        ] {
            match r {
                Ok(p) => {
                    assert!(level_ok(level));
                    assert_proportion(what, &p, level);
                }
                Err(e) => assert_clean_error(&e),
            }
        }
    }
    match mean(t, level) {
        Ok(m) => {
            assert!(level_ok(level));
            assert_mean(&m, scale, level);
        }
        Err(e) => assert_clean_error(&e),
    }
    match distribution(t) {
        Ok(d) => {
            assert_all_finite(&d);
            let mut sum = 0.0;
            for p in &d.points {
                assert_within("share", p.share, 0.0, 1.0);
                sum += p.share;
            }
            assert_within("share sum", sum, 1.0 - 1e-9, 1.0 + 1e-9);
        }
        Err(e) => assert_clean_error(&e),
    }
}

// ---------------------------------------------------------------------------------------------
// Serialised forms.

/// A summary with a compact bytes form.
pub trait BytesForm: Sized + PartialEq + Debug {
    /// Read untrusted bytes.
    fn read(bytes: &[u8]) -> Result<Self, CxError>;
    /// Write.
    fn write(&self) -> Vec<u8>;
    /// Check what was read (estimates, invariants).
    fn check(&self) {}
}

/// Read arbitrary bytes: an error, or a summary that passes its checks and writes back to bytes
/// that read to an equal summary; never more memory than the documented bound.
pub fn fuzz_bytes<T: BytesForm>(data: &[u8]) {
    read_bytes::<T>(data);
    // The CRC-32 stops almost every mutation at the frame; a second read with the checksum
    // recomputed lets the fuzzer reach the body parser (forged but consistent input).
    if data.len() >= 12 {
        let mut forged = data.to_vec();
        let end = forged.len() - 4;
        let crc = crc32fast::hash(&forged[..end]);
        forged[end..].copy_from_slice(&crc.to_le_bytes());
        read_bytes::<T>(&forged);
    }
}

fn read_bytes<T: BytesForm>(data: &[u8]) {
    let (r, peak) = peak_during(|| T::read(data));
    assert!(
        peak <= BYTES_PER_INPUT_BYTE * data.len() + FIXED_ALLOWANCE,
        "reading {} bytes allocated {peak} bytes",
        data.len()
    );
    match r {
        Ok(t) => {
            t.check();
            let again = T::read(&t.write()).expect("written bytes read back");
            assert_eq!(again, t);
        }
        Err(e) => assert_eq!(e.code(), "unreadable_summary", "{e}"),
    }
}

/// Read arbitrary text as JSON with `read`: an error, or a summary that passes `check` and whose
/// JSON (`write`) reads back equal.
pub fn fuzz_json<T: PartialEq + Debug>(
    data: &[u8],
    read: impl Fn(&str) -> Result<T, CxError>,
    write: impl Fn(&T) -> String,
    check: impl Fn(&T),
) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (r, peak) = peak_during(|| read(text));
    assert!(
        peak <= JSON_BYTES_PER_INPUT_BYTE * data.len() + FIXED_ALLOWANCE,
        "reading {} bytes of JSON allocated {peak} bytes",
        data.len()
    );
    match r {
        Ok(t) => {
            check(&t);
            let again = read(&write(&t)).expect("written JSON reads back");
            assert_eq!(again, t);
        }
        Err(e) => assert_eq!(e.code(), "unreadable_summary", "{e}"),
    }
}

impl BytesForm for Tally {
    fn read(bytes: &[u8]) -> Result<Self, CxError> {
        Tally::from_bytes(bytes)
    }
    fn write(&self) -> Vec<u8> {
        self.to_bytes()
    }
    fn check(&self) {
        check_estimators(self, 0.95);
    }
}

impl BytesForm for cx_core::GroupedTally {
    fn read(bytes: &[u8]) -> Result<Self, CxError> {
        cx_core::GroupedTally::from_bytes(bytes)
    }
    fn write(&self) -> Vec<u8> {
        self.to_bytes()
    }
    fn check(&self) {
        check_grouped(self);
    }
}

impl BytesForm for cx_core::KeyedTally {
    fn read(bytes: &[u8]) -> Result<Self, CxError> {
        cx_core::KeyedTally::from_bytes(bytes)
    }
    fn write(&self) -> Vec<u8> {
        self.to_bytes()
    }
    fn check(&self) {
        for (_, t) in self.iter() {
            assert_tally(t);
        }
    }
}

impl BytesForm for cx_core::CxSummary {
    fn read(bytes: &[u8]) -> Result<Self, CxError> {
        cx_core::CxSummary::from_bytes(bytes)
    }
    fn write(&self) -> Vec<u8> {
        self.to_bytes()
    }
    fn check(&self) {
        check_cx_index(self);
    }
}

impl BytesForm for cx_core::JointTally {
    fn read(bytes: &[u8]) -> Result<Self, CxError> {
        cx_core::JointTally::from_bytes(bytes)
    }
    fn write(&self) -> Vec<u8> {
        self.to_bytes()
    }
    fn check(&self) {
        check_lift(self, 0.95);
    }
}

impl BytesForm for cx_core::CurveTally {
    fn read(bytes: &[u8]) -> Result<Self, CxError> {
        cx_core::CurveTally::from_bytes(bytes)
    }
    fn write(&self) -> Vec<u8> {
        self.to_bytes()
    }
    fn check(&self) {
        check_curve(self, 0.95);
    }
}

impl BytesForm for cx_core::Activity {
    fn read(bytes: &[u8]) -> Result<Self, CxError> {
        cx_core::Activity::from_bytes(bytes)
    }
    fn write(&self) -> Vec<u8> {
        self.to_bytes()
    }
    fn check(&self) {
        check_activity(self);
    }
}

/// A grouped tally's groups and its segment table.
pub fn check_grouped(g: &cx_core::GroupedTally) {
    for i in 0..g.n_groups().min(64) {
        assert_tally(&g.group(i).expect("group in range"));
    }
    match cx_core::segments(g, &cx_core::SegmentOptions::default()) {
        Ok(s) => assert_all_finite(&s),
        Err(e) => assert_clean_error(&e),
    }
}

// ---------------------------------------------------------------------------------------------
// CX index, loyalty, retention.

/// The CX index of a summary by both methods at the default level.
pub fn check_cx_index(s: &cx_core::CxSummary) {
    check_cx_index_at(s, 0.95);
}

/// The CX index by both methods at `level`: the net index and every net dimension score in
/// -100..=100, the mean method in 0..=100, intervals inside those bounds, shares in 0..=1.
pub fn check_cx_index_at(s: &cx_core::CxSummary, level: f64) {
    for method in [cx_core::CxMethod::Net, cx_core::CxMethod::Mean] {
        let opts = cx_core::CxOptions {
            method,
            level,
            ..Default::default()
        };
        match cx_core::cx_index(s, &opts) {
            Ok(r) => {
                assert!(level_ok(level));
                assert_all_finite(&r);
                let (lo, hi) = match method {
                    cx_core::CxMethod::Net => (-100.0, 100.0),
                    cx_core::CxMethod::Mean => (0.0, 100.0),
                };
                assert_within("cx index", r.estimate, lo, hi);
                assert_interval("cx index interval", &r.interval, lo, hi, level);
                for d in &r.dimensions {
                    assert_within(&d.name, d.estimate, lo, hi);
                    assert_interval(&d.name, &d.interval, lo, hi, level);
                    assert_within("top share", d.top_share, 0.0, 1.0);
                    assert_within("bottom share", d.bottom_share, 0.0, 1.0);
                }
            }
            Err(e) => assert_clean_error(&e),
        }
    }
}

/// Loyalty lift of a joint tally: rates and their intervals in 0..=1, the difference in -1..=1,
/// ratios positive, p-values in 0..=1.
pub fn check_lift(j: &cx_core::JointTally, level: f64) {
    match cx_core::loyalty_lift(j, level) {
        Ok(l) => {
            assert!(level_ok(level));
            assert_all_finite(&l);
            assert_proportion("exposed", &l.exposed, level);
            assert_proportion("reference", &l.reference, level);
            assert_within("risk difference", l.risk_difference.estimate, -1.0, 1.0);
            assert_interval(
                "risk difference",
                &l.risk_difference.interval,
                -1.0,
                1.0,
                level,
            );
            for e in [&l.risk_ratio, &l.odds_ratio] {
                assert!(e.estimate >= 0.0 && e.interval.lower >= 0.0, "{e:?}");
                assert!(e.interval.lower <= e.interval.upper, "{e:?}");
            }
            for e in [&l.risk_ratio, &l.odds_ratio, &l.risk_difference] {
                assert_within("p-value", e.p_value, 0.0, 1.0);
            }
        }
        Err(e) => assert_clean_error(&e),
    }
}

/// The loyalty curve: every rate and interval in 0..=1.
pub fn check_curve(c: &cx_core::CurveTally, level: f64) {
    match cx_core::loyalty_curve(c, level) {
        Ok(r) => {
            assert!(level_ok(level));
            assert_all_finite(&r);
            assert_proportion("overall", &r.overall, level);
            for p in &r.points {
                if let Some(x) = p.estimate {
                    assert_within("curve rate", x, 0.0, 1.0);
                }
                if let Some(iv) = &p.interval {
                    assert_interval("curve interval", iv, 0.0, 1.0, level);
                }
            }
        }
        Err(e) => assert_clean_error(&e),
    }
}

/// Retention, cohorts and acquisition tables of an activity summary: finite numbers, rates in
/// 0..=1.
pub fn check_activity(a: &cx_core::Activity) {
    // Tables per period are O(periods) rows of about 500 bytes (and cohorts O(periods^2)): a
    // forged summary with no customers can claim many periods in few bytes, so the harness
    // computes them only up to 2^16 periods (the reader's own bound is checked before this).
    if a.n_periods > 1 << 16 {
        return;
    }
    match cx_core::retention(a, &cx_core::RetentionOptions::default()) {
        Ok(r) => {
            assert_all_finite(&r);
            for row in &r.rows {
                for x in [row.retention_rate, row.churn_rate].into_iter().flatten() {
                    assert_within("rate", x, 0.0, 1.0);
                }
            }
        }
        Err(e) => assert_clean_error(&e),
    }
    // The cohort triangle is O(periods^2) by nature (documented on `cohorts`): a forged summary
    // of a few hundred bytes may claim thousands of periods (within the reader's bound, which is
    // linear in the input), so the harness draws the triangle only for up to 1,024 periods.
    if a.n_periods <= 1024 {
        assert_all_finite(&cx_core::cohorts(a));
    }
    match cx_core::acquisition(a) {
        Ok(r) => assert_all_finite(&r),
        Err(e) => assert_clean_error(&e),
    }
}
