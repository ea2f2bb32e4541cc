//! Write admission of one shard: how many offered records a shard accepts per second.

/// A shard's write limits per second (record data plus partition key count towards bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WriteLimit {
    /// Records accepted per second.
    pub records_per_s: u64,
    /// Bytes accepted per second.
    pub bytes_per_s: u64,
}

impl WriteLimit {
    /// The limits of one provisioned shard: 1,000 records/s and 1 MiB/s.
    pub const SHARD: WriteLimit = WriteLimit {
        records_per_s: 1_000,
        bytes_per_s: 1_048_576,
    };

    /// Records per second this limit admits for records of `record_bytes` bytes each
    /// (whichever of the two limits binds first).
    pub fn records_for_size(&self, record_bytes: u64) -> u64 {
        self.records_per_s
            .min(self.bytes_per_s / record_bytes.max(1))
    }

    /// How many of `offered` records of `record_bytes` bytes each are accepted in one second.
    pub fn admit(&self, offered: u64, record_bytes: u64) -> u64 {
        offered.min(self.records_for_size(record_bytes))
    }
}

/// What happened at one shard during one simulated second.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WriteSample {
    /// Start of the second, in simulated seconds since the run began.
    pub t_s: u64,
    /// Records the producers offered during the second.
    pub offered: u64,
    /// Records the shard accepted (the rest were throttled).
    pub accepted: u64,
}

impl WriteSample {
    /// Records rejected with `ProvisionedThroughputExceeded` during the second.
    pub fn throttled(&self) -> u64 {
        self.offered - self.accepted
    }
}

/// Producers writing to a single shard at a mean rate with a slow periodic swell.
///
/// The offered rate at second `t` is `rate × (1 + swell × sin(2πt / period))`; the
/// fractional part of each second's records is carried to the next second, so the
/// record count over a whole period equals `rate × period` to within one record.
#[derive(Debug, Clone)]
pub struct OneShardWrites {
    limit: WriteLimit,
    rate_per_s: f64,
    record_bytes: u64,
    swell: f64,
    period_s: u64,
    t_s: u64,
    carry: f64,
}

impl OneShardWrites {
    /// Default relative amplitude of the swell (±20 % around the mean rate).
    pub const DEFAULT_SWELL: f64 = 0.2;
    /// Default period of the swell, in seconds.
    pub const DEFAULT_PERIOD_S: u64 = 300;
    /// Default record size in bytes (data plus key).
    pub const DEFAULT_RECORD_BYTES: u64 = 512;

    /// Producers offering `rate_per_s` records per second on average to one shard.
    /// Negative or non-finite rates count as zero.
    pub fn new(rate_per_s: f64) -> Self {
        let rate_per_s = if rate_per_s.is_finite() {
            rate_per_s.max(0.0)
        } else {
            0.0
        };
        OneShardWrites {
            limit: WriteLimit::SHARD,
            rate_per_s,
            record_bytes: Self::DEFAULT_RECORD_BYTES,
            swell: Self::DEFAULT_SWELL,
            period_s: Self::DEFAULT_PERIOD_S,
            t_s: 0,
            carry: 0.0,
        }
    }

    /// Sets the relative swell amplitude (clamped to 0..=1; 0 gives a constant rate).
    pub fn with_swell(mut self, swell: f64) -> Self {
        self.swell = if swell.is_finite() {
            swell.clamp(0.0, 1.0)
        } else {
            0.0
        };
        self
    }

    /// Sets the size of every record in bytes (at least 1).
    pub fn with_record_bytes(mut self, record_bytes: u64) -> Self {
        self.record_bytes = record_bytes.max(1);
        self
    }

    /// The shard's write limit.
    pub fn limit(&self) -> WriteLimit {
        self.limit
    }

    /// Records per second the shard accepts for this record size.
    pub fn accepted_limit_per_s(&self) -> u64 {
        self.limit.records_for_size(self.record_bytes)
    }

    /// Advances one simulated second and reports it.
    pub fn step(&mut self) -> WriteSample {
        let phase = std::f64::consts::TAU * self.t_s as f64 / self.period_s as f64;
        let exact = self.rate_per_s * (1.0 + self.swell * phase.sin()) + self.carry;
        let offered = exact.floor().max(0.0);
        self.carry = exact - offered;
        let offered = offered as u64;
        let sample = WriteSample {
            t_s: self.t_s,
            offered,
            accepted: self.limit.admit(offered, self.record_bytes),
        };
        self.t_s += 1;
        sample
    }

    /// Runs `seconds` steps and returns every second's sample.
    pub fn run(&mut self, seconds: u64) -> Vec<WriteSample> {
        (0..seconds).map(|_| self.step()).collect()
    }
}
