//! The element types a [`Tally`](super::Tally) can be built from, and the counting kernels.

use crate::error::{CxError, Result};
use crate::scale::Scale;

mod sealed {
    pub trait Sealed {}
}

/// A numeric type ratings can arrive in: `u8, i8, u16, i16, u32, i32, u64, i64, f32, f64`.
///
/// Floats carry missing values as NaN; integers have none. Sealed: the set is fixed so that
/// validation lives in one place, here.
pub trait Rating: Copy + Send + Sync + sealed::Sealed {
    /// The scale index of this value, `None` if it is missing.
    ///
    /// # Errors
    /// [`CxError::OutOfScale`] or [`CxError::NonInteger`], naming `index`.
    fn locate(self, scale: &Scale, index: usize) -> Result<Option<usize>>;

    /// The scale index of this value when it is a point of the scale `lowest..lowest + points`,
    /// else `None` (missing or invalid: [`Rating::locate`] tells which). The hot-loop form.
    fn point(self, lowest: i64, points: usize) -> Option<usize>;

    /// The value as a double (exact for every accepted value a rating scale can hold; 64-bit
    /// integers beyond 2^53 round). Not part of the stable API.
    #[doc(hidden)]
    fn to_f64(self) -> f64;

    /// The byte code of this value on the scale `lowest..lowest + points` (at most 101
    /// points): the point's index, 254 for a missing value, 255 for an invalid one. The
    /// branch-free form the block kernels vectorise. Not part of the stable API.
    #[doc(hidden)]
    #[inline(always)]
    fn code(self, lowest: i64, points: usize) -> u8 {
        self.point(lowest, points)
            .map_or(crate::kernels::floats::INVALID, |i| i as u8)
    }

    /// [`Rating::code`] of every value of `values` into `codes` (as long as `values`): the
    /// block form, which byte types specialise to one wrapping subtraction per value. Not part
    /// of the stable API.
    #[doc(hidden)]
    #[inline(always)]
    fn codes(values: &[Self], lowest: i64, points: usize, codes: &mut [u8]) {
        for (c, &v) in codes.iter_mut().zip(values) {
            *c = v.code(lowest, points);
        }
    }

    /// Count `values` into `counts` (one slot per scale point) and return how many were missing.
    /// On error, `counts` may be partly filled: callers count into a fresh buffer.
    ///
    /// # Errors
    /// As [`Rating::locate`], for the first offending value.
    fn count_into(values: &[Self], scale: &Scale, counts: &mut [u64]) -> Result<u64> {
        Self::count_scalar(values, scale, counts)
    }

    /// [`Rating::count_into`] without the vector and parallel kernels: the reference the
    /// kernels are tested against. Not part of the stable API.
    ///
    /// # Errors
    /// As [`Rating::count_into`].
    #[doc(hidden)]
    fn count_scalar(values: &[Self], scale: &Scale, counts: &mut [u64]) -> Result<u64> {
        let mut missing = 0;
        for (i, &v) in values.iter().enumerate() {
            match v.locate(scale, i)? {
                Some(k) => counts[k] += 1,
                None => missing += 1,
            }
        }
        Ok(missing)
    }
}

fn out_of_scale(scale: &Scale, index: usize, value: f64) -> CxError {
    CxError::OutOfScale {
        index,
        value,
        lowest: scale.lowest(),
        highest: scale.highest(),
    }
}

/// Integers: the position is `value - lowest`, checked against the number of points in a
/// lossless wide type (`i64`, or `i128` for `u64`).
macro_rules! integer_rating {
    ($($t:ty => $wide:ty),* $(,)?) => {$(
        impl sealed::Sealed for $t {}
        impl Rating for $t {
            #[inline]
            fn to_f64(self) -> f64 {
                self as f64
            }

            #[inline]
            fn point(self, lowest: i64, points: usize) -> Option<usize> {
                let d = <$wide>::from(self) - <$wide>::from(lowest);
                (d >= 0 && (d as u64) < points as u64).then_some(d as usize)
            }

            #[inline]
            fn locate(self, scale: &Scale, index: usize) -> Result<Option<usize>> {
                let d = <$wide>::from(self) - <$wide>::from(scale.lowest());
                if d >= 0 && (d as u64) < scale.points() as u64 {
                    Ok(Some(d as usize))
                } else {
                    Err(out_of_scale(scale, index, self as f64))
                }
            }

            fn count_into(values: &[Self], scale: &Scale, counts: &mut [u64]) -> Result<u64> {
                let lowest = <$wide>::from(scale.lowest());
                let k = scale.points() as u64;
                for &v in values {
                    let d = <$wide>::from(v) - lowest;
                    if d >= 0 && (d as u64) < k {
                        counts[d as usize] += 1;
                    } else {
                        return Err(first_error(values, scale));
                    }
                }
                Ok(0)
            }
        }
    )*};
}
integer_rating!(u16 => i64, i16 => i64, u32 => i64, i32 => i64, u64 => i128, i64 => i64);

/// The error of the first value in `values` that is not a point of `scale` (error path only).
fn first_error<T: Rating>(values: &[T], scale: &Scale) -> CxError {
    values
        .iter()
        .enumerate()
        .find_map(|(i, &v)| v.locate(scale, i).err())
        .expect("first_error is only called when some value is off the scale")
}

/// Bytes: a 256-bin histogram (four interleaved copies so consecutive equal bytes do not stall
/// on the same counter), then a check that only bins of the scale are used.
macro_rules! byte_rating {
    ($($t:ty),*) => {$(
        impl sealed::Sealed for $t {}
        impl Rating for $t {
            #[inline]
            fn to_f64(self) -> f64 {
                self as f64
            }

            #[inline]
            fn point(self, lowest: i64, points: usize) -> Option<usize> {
                i64::from(self).point(lowest, points)
            }

            #[inline]
            fn locate(self, scale: &Scale, index: usize) -> Result<Option<usize>> {
                i64::from(self).locate(scale, index)
            }

            #[inline(always)]
            fn codes(values: &[Self], lowest: i64, points: usize, codes: &mut [u8]) {
                // When the scale's points are all values of this type, a value's offset from
                // the lowest point, as a wrapping byte, is below `points` exactly when it is a
                // point (one byte operation per value, which vectorises 32 to a vector).
                let highest = lowest + points as i64 - 1;
                if points < usize::from(crate::kernels::floats::MISSING)
                    && i64::from(<$t>::MIN) <= lowest
                    && highest <= i64::from(<$t>::MAX)
                {
                    let (base, m) = (lowest as $t as u8, points as u8);
                    for (c, &v) in codes.iter_mut().zip(values) {
                        let d = (v as u8).wrapping_sub(base);
                        *c = if d < m { d } else { crate::kernels::floats::INVALID };
                    }
                } else {
                    for (c, &v) in codes.iter_mut().zip(values) {
                        *c = v.code(lowest, points);
                    }
                }
            }

            fn count_into(values: &[Self], scale: &Scale, counts: &mut [u64]) -> Result<u64> {
                // The scale's points as bytes `base..base + points` (mod 256) when they all are
                // values of this type: then a byte's offset from `base` is below `points`
                // exactly when it is a point.
                let fits = i64::from(<$t>::MIN) <= i64::from(scale.lowest())
                    && i64::from(scale.highest()) <= i64::from(<$t>::MAX);
                if fits {
                    let bytes: &[u8] = pulp::bytemuck::cast_slice(values);
                    let base = scale.lowest() as $t as u8;
                    if crate::kernels::bytes::count_offsets(bytes, base, counts) {
                        return Ok(0);
                    }
                    return Err(first_error(values, scale));
                }
                Self::count_scalar(values, scale, counts)
            }

            fn count_scalar(values: &[Self], scale: &Scale, counts: &mut [u64]) -> Result<u64> {
                let hist = byte_histogram(values, |v| v as u8);
                let lowest = i64::from(scale.lowest());
                for (bin, &c) in hist.iter().enumerate() {
                    if c == 0 {
                        continue;
                    }
                    let value = i64::from(bin as u8 as $t);
                    match value.checked_sub(lowest) {
                        Some(d) if d >= 0 && (d as usize) < counts.len() => {
                            counts[d as usize] += c
                        }
                        _ => return Err(first_error(values, scale)),
                    }
                }
                Ok(0)
            }
        }
    )*};
}
byte_rating!(u8, i8);

/// Histogram of bytes, counted in blocks small enough for `u32` counters.
pub(crate) fn byte_histogram<T: Copy>(values: &[T], to_byte: impl Fn(T) -> u8) -> [u64; 256] {
    const BLOCK: usize = 1 << 24;
    let mut total = [0u64; 256];
    for block in values.chunks(BLOCK) {
        let mut h = [[0u32; 256]; 4];
        let mut quads = block.chunks_exact(4);
        for q in &mut quads {
            h[0][to_byte(q[0]) as usize] += 1;
            h[1][to_byte(q[1]) as usize] += 1;
            h[2][to_byte(q[2]) as usize] += 1;
            h[3][to_byte(q[3]) as usize] += 1;
        }
        for &v in quads.remainder() {
            h[0][to_byte(v) as usize] += 1;
        }
        for row in &h {
            for (t, &c) in total.iter_mut().zip(row) {
                *t += u64::from(c);
            }
        }
    }
    total
}

/// Floats: NaN is missing; a value is a point when `value - lowest` is a whole number below the
/// number of points. The common case costs one conversion and one comparison.
macro_rules! float_rating {
    ($($t:ty),*) => {$(
        impl sealed::Sealed for $t {}
        impl Rating for $t {
            #[inline]
            fn to_f64(self) -> f64 {
                self as f64
            }

            /// A point when the value equals `lowest + i` exactly for some `i < points`: the
            /// candidate `i` comes from a subtraction, which may round (3.0000000000000004 + 3
            /// is 6.0 in doubles), so the point is rebuilt and compared with the value itself.
            #[inline]
            fn point(self, lowest: i64, points: usize) -> Option<usize> {
                let v = f64::from(self);
                let i = (v - lowest as f64) as usize; // saturating: negatives and NaN become 0
                (i < points && (lowest + i as i64) as f64 == v).then_some(i)
            }

            #[inline(always)]
            fn code(self, lowest: i64, points: usize) -> u8 {
                crate::kernels::floats::code(f64::from(self), lowest as f64, points)
            }

            #[inline]
            fn locate(self, scale: &Scale, index: usize) -> Result<Option<usize>> {
                let v = f64::from(self);
                if let Some(i) = self.point(i64::from(scale.lowest()), scale.points()) {
                    return Ok(Some(i));
                }
                if v.is_nan() {
                    return Ok(None);
                }
                if !(v >= f64::from(scale.lowest()) && v <= f64::from(scale.highest())) {
                    return Err(out_of_scale(scale, index, v));
                }
                Err(CxError::NonInteger {
                    index,
                    value: v,
                    lowest: scale.lowest(),
                    highest: scale.highest(),
                })
            }

            fn count_into(values: &[Self], scale: &Scale, counts: &mut [u64]) -> Result<u64> {
                let (k, lowest) = (scale.points(), i64::from(scale.lowest()));
                if let Some((c, missing)) = crate::kernels::floats::count_points(values, lowest, k) {
                    for (t, c) in counts.iter_mut().zip(c) {
                        *t += c;
                    }
                    return Ok(missing);
                }
                Self::count_scalar(values, scale, counts)
            }

            fn count_scalar(values: &[Self], scale: &Scale, counts: &mut [u64]) -> Result<u64> {
                let k = scale.points();
                let lowest = i64::from(scale.lowest());
                let mut missing = 0u64;
                for (idx, &v) in values.iter().enumerate() {
                    if let Some(i) = v.point(lowest, k) {
                        counts[i] += 1;
                    } else {
                        match v.locate(scale, idx)? {
                            Some(i) => counts[i] += 1,
                            None => missing += 1,
                        }
                    }
                }
                Ok(missing)
            }
        }
    )*};
}
float_rating!(f32, f64);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_histogram_counts_everything() {
        for len in [0usize, 1, 3, 4, 5, 1000, 1003] {
            let v: Vec<u8> = (0..len).map(|i| (i % 256) as u8).collect();
            let h = byte_histogram(&v, |b| b);
            let mut expect = [0u64; 256];
            for &b in &v {
                expect[b as usize] += 1;
            }
            assert_eq!(h, expect, "len {len}");
        }
    }

    #[test]
    fn extremes_of_every_type_are_rejected() {
        let s = Scale::nps();
        assert!(u64::MAX.locate(&s, 0).is_err());
        assert!(i64::MIN.locate(&s, 0).is_err());
        assert!(u32::MAX.locate(&s, 0).is_err());
        assert!((-1i8).locate(&s, 0).is_err());
        assert!(i8::MIN.locate(&s, 0).is_err());
        assert_eq!(u8::MAX.locate(&s, 3).unwrap_err().code(), "out_of_scale");
        assert_eq!((-0.0f64).locate(&s, 0).unwrap(), Some(0));
        assert_eq!(f64::NAN.locate(&s, 0).unwrap(), None);
        assert_eq!(f32::NAN.locate(&s, 0).unwrap(), None);
        assert_eq!(
            f64::MIN_POSITIVE.locate(&s, 0).unwrap_err().code(),
            "non_integer"
        );
        assert_eq!(1e308f64.locate(&s, 0).unwrap_err().code(), "out_of_scale");
        assert_eq!(
            f64::NEG_INFINITY.locate(&s, 0).unwrap_err().code(),
            "out_of_scale"
        );
        assert_eq!(9.999f64.locate(&s, 0).unwrap_err().code(), "non_integer");
        // 3.0000000000000004 - (-3) rounds to 6.0: the point must still be rejected
        let wide = Scale::new(-3, 3).unwrap();
        let x = 3.0000000000000004f64;
        assert_eq!(x.locate(&wide, 0).unwrap_err().code(), "out_of_scale");
        let y = 2.0000000000000004f64;
        assert_eq!(y.locate(&wide, 0).unwrap_err().code(), "non_integer");
        assert_eq!(y.point(-3, 7), None);
        let neg = Scale::new(-3, 3).unwrap();
        assert_eq!((-3i8).locate(&neg, 0).unwrap(), Some(0));
        let t = [-3i8, 3, -1];
        let mut counts = vec![0; 7];
        i8::count_into(&t, &neg, &mut counts).unwrap();
        assert_eq!(counts, vec![1, 0, 1, 0, 0, 0, 1]);
        let bad = [-3i8, 4];
        let e = i8::count_into(&bad, &neg, &mut [0; 7]).unwrap_err();
        assert_eq!(e, out_of_scale(&neg, 1, 4.0));
    }
}
