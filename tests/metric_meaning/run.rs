//! A watched run whose series are kept one row per tick, read by column name.

use super::common::watch::Watched;
use kinesis_playground::model::series::Sampler;
use kinesis_playground::model::Config;

/// A watched run and its series, one row per tick.
pub struct Run {
    pub sim: Watched,
    columns: Vec<String>,
    rows: Vec<Vec<f64>>,
}

impl Run {
    pub fn new(json: &str) -> Run {
        let config = Config::from_json(json).unwrap_or_else(|e| panic!("{e}\n{json}"));
        let names: Vec<String> = config.consumers.iter().map(|c| c.name().into()).collect();
        let sampler = Sampler::new(&names);
        Run {
            sim: Watched::new(config),
            columns: sampler.columns.clone(),
            rows: Vec::new(),
        }
    }

    /// Runs `seconds` more, keeping every tick's row.
    pub fn run_for(&mut self, seconds: u64) -> &mut Run {
        let end = self.sim.now_ms() + seconds * 1_000;
        while self.sim.now_ms() < end {
            self.sim.step();
            let names: Vec<String> = self
                .sim
                .config()
                .consumers
                .iter()
                .map(|c| c.name().into())
                .collect();
            let mut sampler = Sampler::new(&names);
            sampler.add(self.sim.metrics(), names.iter().map(String::as_str));
            let row = sampler.flush().expect("a row").to_vec();
            assert_eq!(sampler.columns, self.columns, "the columns stay");
            self.rows.push(row);
        }
        self
    }

    /// Column `name` from tick `from` on (0-based); NaN where it has no datapoint.
    pub fn col(&self, name: &str, from: usize) -> Vec<f64> {
        let i = self
            .columns
            .iter()
            .position(|c| c == name)
            .unwrap_or_else(|| panic!("no column {name} in {:?}", self.columns));
        self.rows[from..].iter().map(|r| r[i]).collect()
    }

    /// Sum of column `name`'s datapoints from tick `from` on.
    pub fn sum(&self, name: &str, from: usize) -> f64 {
        self.col(name, from).iter().filter(|v| !v.is_nan()).sum()
    }

    /// Ticks from `from` on in which column `name` has a datapoint.
    pub fn datapoints(&self, name: &str, from: usize) -> usize {
        self.col(name, from).iter().filter(|v| !v.is_nan()).count()
    }

    /// Largest datapoint of column `name` from tick `from` on.
    pub fn max(&self, name: &str, from: usize) -> f64 {
        self.col(name, from)
            .into_iter()
            .filter(|v| !v.is_nan())
            .fold(f64::NAN, f64::max)
    }
}

/// Whether `got` is within `rel` of `want`, relatively.
pub fn near(got: f64, want: f64, rel: f64) -> bool {
    (got - want).abs() <= want.abs() * rel
}
