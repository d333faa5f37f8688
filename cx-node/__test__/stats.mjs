// Textbook reference implementations for the grouped-summary tests, written out independently of
// cx-core (and of statrs): normal and Student-t tail probabilities, Holm and Benjamini-Hochberg.

/**
 * The complementary error function for x >= 0, to about 1e-15 relative: below 2 the series
 * erf(x) = 2/√π · e^(−x²) · Σ 2ⁿ x^(2n+1) / (1·3···(2n+1)) (positive terms, no cancellation;
 * Abramowitz and Stegun 7.1.6), from 2 up the continued fraction
 * erfc(x) = e^(−x²)/√π · 1/(x + ½/(x + 1/(x + (3/2)/(x + …)))) (A&S 7.1.14), evaluated backwards.
 */
export function erfc(x) {
  if (x < 2) {
    let term = x
    let sum = x
    for (let n = 1; n < 500 && term > 1e-18 * sum; n++) {
      term *= (2 * x * x) / (2 * n + 1)
      sum += term
    }
    return 1 - (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x) * sum
  }
  let f = x
  for (let k = 400; k >= 1; k--) f = x + k / 2 / f
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / f
}

/** Two-sided p-value of a standard normal statistic, 2(1 − Φ(|z|)) = erfc(|z|/√2). */
export const normalP = (z) => erfc(Math.abs(z) / Math.SQRT2)

/** ln Γ(x), x > 0: Lanczos (1964) approximation, g = 7, nine coefficients (~1e-15). */
function lgamma(x) {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ]
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lgamma(1 - x)
  x -= 1
  let a = c[0]
  const t = x + 7.5
  for (let i = 1; i < 9; i++) a += c[i] / (x + i)
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a)
}

/** Continued fraction of the incomplete beta function (Numerical Recipes 6.4, modified Lentz). */
function betacf(a, b, x) {
  const tiny = 1e-300
  const clamp = (v) => (Math.abs(v) < tiny ? tiny : v)
  let c = 1
  let d = 1 / clamp(1 - ((a + b) * x) / (a + 1))
  let h = d
  for (let m = 1; m <= 100000; m++) {
    const m2 = 2 * m
    let aa = (m * (b - m) * x) / ((a - 1 + m2) * (a + m2))
    d = 1 / clamp(1 + aa * d)
    c = clamp(1 + aa / c)
    h *= d * c
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + 1 + m2))
    d = 1 / clamp(1 + aa * d)
    c = clamp(1 + aa / c)
    h *= d * c
    if (Math.abs(d * c - 1) < 1e-16) break
  }
  return h
}

/** The regularized incomplete beta function I_x(a, b). */
function ibeta(x, a, b) {
  if (x <= 0) return 0
  if (x >= 1) return 1
  const front = Math.exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * Math.log(x) + b * Math.log(1 - x))
  return x < (a + 1) / (a + b + 2) ? (front * betacf(a, b, x)) / a : 1 - (front * betacf(b, a, 1 - x)) / b
}

/** Two-sided p-value of Student's t with `df` degrees of freedom: I_{df/(df+t²)}(df/2, 1/2). */
export const studentP = (t, df) => ibeta(df / (df + t * t), df / 2, 0.5)

/** Welch-Satterthwaite degrees of freedom of two means with standard errors and sizes. */
export const welchDf = (se1, n1, se2, n2) => {
  const v1 = se1 * se1
  const v2 = se2 * se2
  return (v1 + v2) ** 2 / ((v1 * v1) / (n1 - 1) + (v2 * v2) / (n2 - 1))
}

/** Holm (1979) step-down adjusted p-values, in input order. */
export function holm(p) {
  const m = p.length
  const order = p.map((_, i) => i).sort((a, b) => p[a] - p[b])
  const out = new Array(m)
  let running = 0
  order.forEach((i, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p[i]))
    out[i] = running
  })
  return out
}

/** Benjamini and Hochberg (1995) step-up adjusted p-values, in input order. */
export function bh(p) {
  const m = p.length
  const order = p.map((_, i) => i).sort((a, b) => p[a] - p[b])
  const out = new Array(m)
  let running = 1
  for (let rank = m - 1; rank >= 0; rank--) {
    const i = order[rank]
    running = Math.min(running, Math.min(1, (m / (rank + 1)) * p[i]))
    out[i] = running
  }
  return out
}
