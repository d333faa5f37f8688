//! The serialised forms of an [`Activity`]: JSON (`{"format": "cxkit.activity", "version": 1,
//! ...}`) and compact bytes (magic `CXAC`, version 1), both validated on the way in.

use serde::{Deserialize, Serialize};
use std::collections::HashSet;

use super::activity::NOT_ACQUIRED;
use super::Activity;
use crate::codec::{Reader, Writer};
use crate::error::{CxError, Result};
use crate::grouping::Key;
use crate::period::{Freq, MAX_ABS_DAY, MAX_PERIODS};

const MAGIC: &[u8; 4] = b"CXAC";
const VERSION: u16 = 1;

/// The `format` tag of a serialised [`Activity`].
pub const ACTIVITY_FORMAT: &str = "cxkit.activity";

/// The stored parts of an [`Activity`] (the word offsets are derived).
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ActivityRepr {
    format: String,
    version: u32,
    freq: Freq,
    first_period: i64,
    n_periods: usize,
    customers: Vec<Key>,
    rows: u64,
    missing: u64,
    any: Vec<u64>,
    buy: Vec<u64>,
    revenue: Vec<f64>,
    channels: Vec<Key>,
    acquired: Vec<(i64, u32)>,
}

/// The schema of an [`Activity`] for the contract: an object in its own serialised form, which
/// the bindings wrap in their `Activity` class rather than read field by field.
#[cfg(feature = "schema")]
impl schemars::JsonSchema for Activity {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Activity".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "object",
            "description": "The one-pass, mergeable per-customer activity summary of a \
                transaction log (see `retention`), in its serialised form \
                (`{\"format\": \"cxkit.activity\", \"version\": 1, ...}`)."
        })
    }
}

impl From<Activity> for ActivityRepr {
    fn from(a: Activity) -> Self {
        ActivityRepr {
            format: ACTIVITY_FORMAT.into(),
            version: u32::from(VERSION),
            freq: a.freq,
            first_period: a.first_period,
            n_periods: a.n_periods,
            customers: a.customers,
            rows: a.rows,
            missing: a.missing,
            any: a.any,
            buy: a.buy,
            revenue: a.revenue,
            channels: a.channels,
            acquired: a.acquired,
        }
    }
}

fn unique(keys: &[Key], what: &str) -> Result<()> {
    let mut seen = HashSet::with_capacity(keys.len());
    if keys.iter().all(|k| seen.insert(k)) {
        Ok(())
    } else {
        Err(CxError::unreadable(format!(
            "the same {what} appears twice"
        )))
    }
}

impl TryFrom<ActivityRepr> for Activity {
    type Error = CxError;
    /// Check every invariant the tables rely on, so that no input can make them panic.
    fn try_from(r: ActivityRepr) -> Result<Self> {
        if r.format != ACTIVITY_FORMAT || r.version != u32::from(VERSION) {
            return Err(CxError::unreadable(format!(
                "format {:?} version {} is not an activity summary this build reads \
                 ({ACTIVITY_FORMAT:?} version {VERSION})",
                r.format, r.version
            )));
        }
        let bad = |what: String| Err(CxError::unreadable(what));
        if r.n_periods == 0 || r.n_periods > MAX_PERIODS {
            return bad(format!("{} periods (1 to {MAX_PERIODS})", r.n_periods));
        }
        let (lo, hi) = (r.freq.index(-MAX_ABS_DAY), r.freq.index(MAX_ABS_DAY));
        let last = r.first_period.checked_add(r.n_periods as i64 - 1);
        if r.first_period < lo || last.is_none_or(|l| l > hi) {
            return bad(format!(
                "periods {} + {} are outside the supported dates",
                r.first_period, r.n_periods
            ));
        }
        unique(&r.customers, "customer")?;
        unique(&r.channels, "channel")?;
        let cw = r.customers.len().div_ceil(64);
        let words = r.n_periods.checked_mul(cw);
        if words != Some(r.any.len()) || words != Some(r.buy.len()) {
            return bad(format!(
                "{} and {} bitset words for {} periods of {} customers",
                r.any.len(),
                r.buy.len(),
                r.n_periods,
                r.customers.len()
            ));
        }
        // Bits past the last customer in each period's last word must be clear.
        let tail = match r.customers.len() % 64 {
            0 => 0,
            k => !((1u64 << k) - 1),
        };
        let mut base = Vec::with_capacity(r.any.len());
        let mut total = 0u64;
        for (i, (&a, &b)) in r.any.iter().zip(&r.buy).enumerate() {
            if b & !a != 0 {
                return bad("a purchase in a customer-period without a row".into());
            }
            if (i + 1) % cw == 0 && a & tail != 0 {
                return bad("activity of a customer beyond the customer list".into());
            }
            base.push(total);
            total += u64::from(a.count_ones());
        }
        if total != r.revenue.len() as u64 {
            return bad(format!(
                "{} revenue cells for {total} occupied customer-periods",
                r.revenue.len()
            ));
        }
        if !r.revenue.iter().all(|x| x.is_finite()) {
            return bad("revenue must be finite".into());
        }
        if r.missing > r.rows {
            return bad(format!("{} missing rows of {}", r.missing, r.rows));
        }
        if !(r.acquired.is_empty() || r.acquired.len() == r.customers.len()) {
            return bad(format!(
                "{} acquisitions for {} customers",
                r.acquired.len(),
                r.customers.len()
            ));
        }
        for &(d, ch) in &r.acquired {
            if (d, ch) != NOT_ACQUIRED
                && (ch as usize >= r.channels.len() || !(-MAX_ABS_DAY..=MAX_ABS_DAY).contains(&d))
            {
                return bad(format!("acquisition ({d}, channel {ch}) is not valid"));
            }
        }
        Ok(Activity {
            freq: r.freq,
            first_period: r.first_period,
            n_periods: r.n_periods,
            customers: r.customers,
            rows: r.rows,
            missing: r.missing,
            cw,
            any: r.any,
            buy: r.buy,
            base,
            revenue: r.revenue,
            channels: r.channels,
            acquired: r.acquired,
        })
    }
}

const FREQS: [Freq; 5] = [
    Freq::Day,
    Freq::Week,
    Freq::Month,
    Freq::Quarter,
    Freq::Year,
];

impl Activity {
    /// The compact binary form, the same bytes from Rust, Python and Node.
    ///
    /// Framed as in [`Tally::to_bytes`](crate::Tally::to_bytes) (magic `"CXAC"`, version 1,
    /// flags, body, CRC-32); the body, little-endian:
    ///
    /// ```text
    /// freq            u8    0 day, 1 week, 2 month, 3 quarter, 4 year
    /// first_period    i64   period index of period 0 (Freq::index)
    /// n_periods       u32   P
    /// rows, missing   u64, u64
    /// customers       u32 count C, then one key each (tag 0 i64, 1 string, 2 missing)
    /// channels        u32 count, then one key each
    /// any             P x ceil(C / 64) u64: per period, bit c = customer c has a row
    /// buy             P x ceil(C / 64) u64: per period, bit c = customer c made a purchase
    /// revenue         u64 count, then f64 net revenue per set bit of `any` (period by period,
    ///                 customer order)
    /// acquired        u32 count (0 or C), then per customer the first purchase day (i64) and
    ///                 its channel (u32); i64::MAX and u32::MAX for none
    /// ```
    ///
    /// # Examples
    /// ```
    /// use cx_core::retention::Activity;
    /// use cx_core::Freq;
    /// let a = Activity::from_ints(&[1, 2, 1], &[0, 40, 70], &[5.0, 3.0, 2.0], Freq::Month)?;
    /// let bytes = a.to_bytes();
    /// assert_eq!(&bytes[..4], b"CXAC");
    /// assert_eq!(Activity::from_bytes(&bytes)?, a);
    /// # Ok::<(), cx_core::CxError>(())
    /// ```
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::with_capacity(64 + 16 * self.any.len() + 8 * self.revenue.len());
        w.u8(FREQS.iter().position(|&f| f == self.freq).unwrap_or(0) as u8);
        w.i64(self.first_period);
        w.u32(self.n_periods as u32);
        w.u64(self.rows);
        w.u64(self.missing);
        for keys in [&self.customers, &self.channels] {
            w.u32(keys.len() as u32);
            keys.iter().for_each(|k| w.key(k));
        }
        for words in [&self.any, &self.buy] {
            words.iter().for_each(|&x| w.u64(x));
        }
        w.u64(self.revenue.len() as u64);
        self.revenue.iter().for_each(|&x| w.f64(x));
        w.u32(self.acquired.len() as u32);
        for &(d, ch) in &self.acquired {
            w.i64(d);
            w.u32(ch);
        }
        w.finish(MAGIC, VERSION)
    }

    /// Read the bytes written by [`Activity::to_bytes`] in any language.
    ///
    /// # Errors
    /// [`CxError::UnreadableSummary`] for a wrong magic, another format version, a checksum
    /// mismatch, truncated or extended bytes, or an inconsistent summary; the sizes the header
    /// claims are checked against the input before anything is allocated.
    pub fn from_bytes(bytes: &[u8]) -> Result<Activity> {
        let mut r = Reader::open(bytes, MAGIC, VERSION, "activity summary")?;
        let f = r.u8()?;
        let freq = *FREQS
            .get(f as usize)
            .ok_or_else(|| CxError::unreadable(format!("unknown period length code {f}")))?;
        let first_period = r.i64()?;
        let n_periods = r.u32()? as usize;
        let rows = r.u64()?;
        let missing = r.u64()?;
        let n = r.count(1, "customers")?;
        let customers = (0..n).map(|_| r.key()).collect::<Result<Vec<_>>>()?;
        let n = r.count(1, "channels")?;
        let channels = (0..n).map(|_| r.key()).collect::<Result<Vec<_>>>()?;
        let words = n_periods.checked_mul(customers.len().div_ceil(64));
        r.expect(words.and_then(|w| w.checked_mul(16)), "bitset words")?;
        let words = words.unwrap_or(0);
        let mut read_words = || (0..words).map(|_| r.u64()).collect::<Result<Vec<_>>>();
        let any = read_words()?;
        let buy = read_words()?;
        let cells = r.u64()?;
        let cells = usize::try_from(cells).ok();
        r.expect(cells.and_then(|c| c.checked_mul(8)), "revenue cells")?;
        let revenue = (0..cells.unwrap_or(0))
            .map(|_| r.f64())
            .collect::<Result<Vec<_>>>()?;
        let n = r.count(12, "acquisitions")?;
        let acquired = (0..n)
            .map(|_| Ok((r.i64()?, r.u32()?)))
            .collect::<Result<Vec<_>>>()?;
        r.finish()?;
        Activity::try_from(ActivityRepr {
            format: ACTIVITY_FORMAT.into(),
            version: u32::from(VERSION),
            freq,
            first_period,
            n_periods,
            customers,
            rows,
            missing,
            any,
            buy,
            revenue,
            channels,
            acquired,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Activity {
        let ids: Vec<i64> = (0..70).map(|i| i % 67).collect();
        let days: Vec<i64> = (0..70).map(|i| i * 9).collect();
        let rev: Vec<f64> = (0..70)
            .map(|i| if i % 11 == 0 { -2.5 } else { i as f64 })
            .collect();
        let ch: Vec<u32> = (0..70).map(|i| (i % 3) as u32).collect();
        let codes: Vec<u32> = ids.iter().map(|&i| i as u32).collect();
        Activity::from_ints(&ids, &days, &rev, Freq::Month)
            .unwrap()
            .with_channels(
                &codes,
                &days,
                &rev,
                &ch,
                vec![Key::Str("ads".into()), Key::Str("web".into()), Key::Int(3)],
            )
            .unwrap()
    }

    #[test]
    fn round_trips() {
        let a = sample();
        assert_eq!(Activity::from_bytes(&a.to_bytes()).unwrap(), a);
        assert_eq!(Activity::from_json(&a.to_json()).unwrap(), a);
        assert!(a
            .to_json()
            .starts_with(r#"{"format":"cxkit.activity","version":1,"#));
        let plain =
            Activity::from_strs(&[Some("a"), None], &[3, 4], &[1.0, 2.0], Freq::Week).unwrap();
        assert_eq!(Activity::from_bytes(&plain.to_bytes()).unwrap(), plain);
    }

    #[test]
    fn every_bit_flip_and_truncation_is_rejected() {
        let bytes = Activity::from_ints(&[1, 2, 1], &[0, 40, 70], &[5.0, 3.0, -2.0], Freq::Month)
            .unwrap()
            .to_bytes();
        for i in 0..bytes.len() {
            for bit in [0, 3, 7] {
                let mut b = bytes.clone();
                b[i] ^= 1 << bit;
                assert!(Activity::from_bytes(&b).is_err(), "byte {i} bit {bit}");
            }
        }
        for len in 0..bytes.len() {
            assert!(Activity::from_bytes(&bytes[..len]).is_err(), "len {len}");
        }
    }

    #[test]
    fn forged_sizes_and_content_are_rejected() {
        let mut w = Writer::default();
        w.u8(2);
        w.i64(0);
        w.u32(MAX_PERIODS as u32);
        w.u64(1);
        w.u64(0);
        w.u32(1);
        w.key(&Key::Int(1));
        w.u32(0);
        let e = Activity::from_bytes(&w.finish(MAGIC, VERSION)).unwrap_err();
        assert!(e.to_string().contains("claims more bitset words"), "{e}");

        let json = sample().to_json();
        for (from, to, says) in [
            (r#""version":1"#, r#""version":2"#, "version 2"),
            (r#""missing":0"#, r#""missing":80"#, "80 missing rows of 70"),
            (
                r#""first_period":"#,
                r#""first_period":9"#,
                "outside the supported dates",
            ),
        ] {
            let e = Activity::from_json(&json.replacen(from, to, 1)).unwrap_err();
            assert_eq!(e.code(), "unreadable_summary");
            assert!(e.to_string().contains(says), "{e}");
        }
    }

    #[test]
    fn newer_version_is_named() {
        let mut b = sample().to_bytes();
        b[4] = 2;
        let e = Activity::from_bytes(&b).unwrap_err().to_string();
        assert!(
            e.contains("activity summary format version 2 is not supported"),
            "{e}"
        );
    }
}
