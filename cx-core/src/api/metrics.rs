//! Entry points of the one-item metrics: `nps`, `nps_difference`, `top_box`, `bottom_box`,
//! `csat`, `mean`, `ces`, `distribution`.

use crate::api::{Args, Entry, Kind, Options, Output, Param, Returns};
use crate::error::Result;
use crate::inference::DEFAULT_LEVEL;
use crate::satisfaction::ProportionOptions;
use crate::tally::Tally;
use crate::{NpsOptions, Proportion, Scale};

crate::options! {
    /// Options of the estimates whose only choice is the confidence level (`mean`, `ces`,
    /// `nps_difference`).
    #[derive(Copy)]
    pub struct LevelOptions {
        /// Confidence level, strictly between 0 and 1 (default 0.95).
        pub level: f64 = DEFAULT_LEVEL,
    }
}

const VALUES: Param = Param {
    name: "values",
    kind: Kind::Ratings,
    positional: true,
    required: true,
    doc: "Ratings: an array of numbers (NaN, None and null are missing, skipped and counted) \
          or a Tally.",
    aliases: &[],
    column: None,
};

const WEIGHTS: Param = Param {
    name: "weights",
    kind: Kind::Numbers,
    positional: false,
    required: false,
    doc: "One weight per value, 0 or between 1e-100 and 1e100 (only ratios matter); not with \
          a Tally, which holds its weights.",
    aliases: &[],
    column: None,
};

/// The `scale` input of a metric whose raw values need one.
const fn scale(doc: &'static str) -> Param {
    Param {
        name: "scale",
        kind: Kind::Scale,
        positional: false,
        required: false,
        doc,
        aliases: &[],
        column: None,
    }
}

const SCALE_REQUIRED: Param = scale(
    "The scale of raw values, required for them: a preset name ('nps', 'csat', 'ces', \
     'agreement') or (lowest, highest); with a Tally, the tally's own scale.",
);

const ONE_SAMPLE_REQUIRED: &[Param] = &[VALUES, WEIGHTS, SCALE_REQUIRED];

fn level(a: &Args) -> Result<f64> {
    Ok(a.options::<LevelOptions>()?.level)
}

type BoxShare = fn(&Tally, &ProportionOptions) -> Result<Proportion>;

fn share(a: &Args, default: Option<Scale>, f: BoxShare) -> Result<Output> {
    let t = a.tally("values", default)?;
    Ok(f(&t, &a.options()?)?.into())
}

/// Every entry point of this module.
pub(super) static ENTRIES: &[Entry] = &[
    Entry {
        name: "nps",
        module: "nps",
        doc: "Net Promoter Score: 100 x (promoter share - detractor share), in points (-100 \
              to 100), with its standard error, a confidence interval in points and the \
              promoter / passive / detractor split (shares 0 to 1). Defaults: scale 'nps' \
              (0-10: promoters 9-10, detractors 0-6), level 0.95, method 'adjusted-wald' \
              (Rocks 2016), 2000 bootstrap resamples with seed 0.",
        params: &[
            VALUES,
            WEIGHTS,
            scale(
                "The scale of raw values (default 'nps', 0-10); with a Tally, the tally's own \
                 scale.",
            ),
        ],
        options: NpsOptions::fields,
        returns: Returns::Record("Nps"),
        run: |a| {
            let t = a.tally("values", Some(Scale::nps()))?;
            Ok(crate::nps(&t, &a.options()?)?.into())
        },
    },
    Entry {
        name: "nps_difference",
        module: "nps",
        doc: "The difference between the NPS of two independent samples (a - b), in points, \
              with its standard error, Wald interval, z statistic and two-sided p-value \
              (Rocks 2016).",
        params: &[
            Param {
                name: "a",
                doc: "The first sample's ratings (or Tally).",
                ..VALUES
            },
            Param {
                name: "b",
                doc: "The second sample's ratings (or Tally).",
                ..VALUES
            },
            Param {
                name: "weights_a",
                doc: "Weights of the first sample's raw values.",
                ..WEIGHTS
            },
            Param {
                name: "weights_b",
                doc: "Weights of the second sample's raw values.",
                ..WEIGHTS
            },
            scale("The scale of raw values (default 'nps'); both samples must end up on it."),
        ],
        options: LevelOptions::fields,
        returns: Returns::Record("NpsDifference"),
        run: |a| {
            let ta = a.tally_with("a", "weights_a", Some(Scale::nps()))?;
            let tb = a.tally_with("b", "weights_b", Some(Scale::nps()))?;
            Ok(crate::nps_difference(&ta, &tb, level(a)?)?.into())
        },
    },
    Entry {
        name: "top_box",
        module: "satisfaction",
        doc: "The share of answers in the top box (top_box_min..=highest), a fraction 0 to 1, \
              with a confidence interval (default Wilson, level 0.95). The scale is required \
              for raw values.",
        params: ONE_SAMPLE_REQUIRED,
        options: ProportionOptions::fields,
        returns: Returns::Record("Proportion"),
        run: |a| share(a, None, crate::top_box),
    },
    Entry {
        name: "bottom_box",
        module: "satisfaction",
        doc: "The share of answers in the bottom box (lowest..=bottom_box_max), a fraction 0 \
              to 1, with a confidence interval (default Wilson, level 0.95). The scale is \
              required for raw values.",
        params: ONE_SAMPLE_REQUIRED,
        options: ProportionOptions::fields,
        returns: Returns::Record("Proportion"),
        run: |a| share(a, None, crate::bottom_box),
    },
    Entry {
        name: "csat",
        module: "satisfaction",
        doc: "Customer satisfaction (CSAT): the share of satisfied customers (top box: 4-5 on \
              the default 'csat' 1-5 scale), a fraction 0 to 1, with a Wilson interval by \
              default.",
        params: &[
            VALUES,
            WEIGHTS,
            scale("The scale of raw values (default 'csat', 1-5, satisfied 4-5)."),
        ],
        options: ProportionOptions::fields,
        returns: Returns::Record("Proportion"),
        run: |a| share(a, Some(Scale::csat()), crate::csat),
    },
    Entry {
        name: "mean",
        module: "satisfaction",
        doc: "The mean rating, in the scale's units, with standard error, standard deviation \
              and a Student-t interval (level 0.95 by default). The scale is required for raw \
              values.",
        params: ONE_SAMPLE_REQUIRED,
        options: LevelOptions::fields,
        returns: Returns::Record("Mean"),
        run: |a| Ok(crate::mean(&*a.tally("values", None)?, level(a)?)?.into()),
    },
    Entry {
        name: "ces",
        module: "satisfaction",
        doc: "Customer effort score (CES): the mean rating on the CES 2.0 1-7 scale by default \
              (higher is easier), with a Student-t interval.",
        params: &[
            VALUES,
            WEIGHTS,
            scale("The scale of raw values (default 'ces', 1-7)."),
        ],
        options: LevelOptions::fields,
        returns: Returns::Record("Mean"),
        run: |a| {
            let t = a.tally("values", Some(Scale::ces()))?;
            Ok(crate::ces(&t, level(a)?)?.into())
        },
    },
    Entry {
        name: "distribution",
        module: "satisfaction",
        doc: "The count, weight and share (0 to 1) of every point of the scale, lowest first. \
              The scale is required for raw values.",
        params: ONE_SAMPLE_REQUIRED,
        options: NoOptions::fields,
        returns: Returns::Record("Distribution"),
        run: |a| {
            a.options::<NoOptions>()?;
            Ok(crate::distribution(&*a.tally("values", None)?)?.into())
        },
    },
];

crate::options! {
    /// No options.
    #[derive(Copy)]
    pub struct NoOptions {}
}
