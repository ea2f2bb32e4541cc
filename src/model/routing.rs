//! Partition key → shard: MD5 of the key as a 128-bit number, looked up in hash-key ranges.

/// The 128-bit hash Kinesis routes a partition key by: MD5 of its UTF-8 bytes, big-endian.
pub fn hash_key(partition_key: &str) -> u128 {
    u128::from_be_bytes(super::md5::digest(partition_key.as_bytes()))
}

/// An inclusive range of hash keys owned by one shard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HashRange {
    /// First hash key of the range.
    pub start: u128,
    /// Last hash key of the range (inclusive).
    pub end: u128,
}

impl HashRange {
    /// Whether the two ranges share at least one hash key.
    pub fn overlaps(&self, other: &HashRange) -> bool {
        self.start <= other.end && other.start <= self.end
    }
}

/// The even layout CreateStream and UpdateShardCount give `n` shards: with
/// `w = floor(2^128 / n)`, shard `i` owns `[i·w, (i+1)·w − 1]` and the last shard ends at
/// `2^128 − 1`, absorbing the remainder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EvenLayout {
    shards: u32,
    width: u128,
}

impl EvenLayout {
    /// The layout of `shards` shards (at least 1).
    pub fn new(shards: u32) -> Self {
        let n = u128::from(shards.max(1));
        // floor(2^128 / n) computed without 2^128: 2^128 = u128::MAX + 1.
        // (For one shard 2^128 does not fit; u128::MAX serves, as every hash is below it.)
        let width = (u128::MAX / n).saturating_add(u128::from(u128::MAX % n == n - 1));
        EvenLayout {
            shards: shards.max(1),
            width,
        }
    }

    /// Number of shards.
    pub fn shards(&self) -> u32 {
        self.shards
    }

    /// The 0-based index of the shard owning `hash`.
    pub fn shard_of(&self, hash: u128) -> u32 {
        let i = hash / self.width;
        i.min(u128::from(self.shards - 1)) as u32
    }

    /// The hash-key range of shard `index` (0-based; clamped to the last shard).
    pub fn range(&self, index: u32) -> HashRange {
        let i = u128::from(index.min(self.shards - 1));
        let start = i * self.width;
        let end = if index + 1 >= self.shards {
            u128::MAX
        } else {
            start + self.width - 1
        };
        HashRange { start, end }
    }
}

/// The partition key of key number `i` of producer `producer`: `"{producer}-{i}"`.
pub fn key_name(producer: &str, i: u32) -> String {
    format!("{producer}-{i}")
}

/// The popularity of each of `distinct` keys: Zipf with exponent `skew` over ranks
/// 1..=distinct (key 0 is the most popular; skew 0 is uniform). Sums to 1.
pub fn key_popularity(distinct: u32, skew: f64) -> Vec<f64> {
    let n = distinct.max(1);
    let raw: Vec<f64> = (1..=n)
        .map(|rank| {
            if skew == 0.0 {
                1.0
            } else {
                libm::pow(f64::from(rank), -skew)
            }
        })
        .collect();
    let total: f64 = raw.iter().sum();
    raw.into_iter().map(|w| w / total).collect()
}

/// One producer's keys: their hashes and popularity, computed once.
#[derive(Debug, Clone, PartialEq)]
pub struct KeySet {
    hashes: Vec<u128>,
    popularity: Vec<f64>,
    mean_key_bytes: f64,
}

impl KeySet {
    /// The `distinct` keys `"{producer}-{i}"` with Zipf popularity of exponent `skew`.
    pub fn new(producer: &str, distinct: u32, skew: f64) -> Self {
        let popularity = key_popularity(distinct, skew);
        let mut key_bytes = 0.0;
        let hashes = (0..distinct.max(1))
            .map(|i| {
                let key = key_name(producer, i);
                key_bytes += key.len() as f64 * popularity[i as usize];
                hash_key(&key)
            })
            .collect();
        KeySet {
            hashes,
            popularity,
            mean_key_bytes: key_bytes,
        }
    }

    /// Mean partition-key length in bytes, weighted by popularity.
    pub fn mean_key_bytes(&self) -> f64 {
        self.mean_key_bytes
    }

    /// The share of this producer's records each shard of `layout` receives (sums to 1).
    pub fn shard_weights(&self, layout: &EvenLayout) -> Vec<f64> {
        let mut weights = vec![0.0; layout.shards() as usize];
        for (hash, p) in self.hashes.iter().zip(&self.popularity) {
            weights[layout.shard_of(*hash) as usize] += p;
        }
        weights
    }
}
