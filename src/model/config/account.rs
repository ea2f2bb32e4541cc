//! The AWS account's limits that several consumers share.

use serde::Serialize;

use super::read::settings;

/// The AWS account's limits that several consumers share.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AccountConfig {
    /// Concurrent Lambda executions in the Region, shared by every function. Reserved
    /// concurrencies come out of it and must leave 100 unreserved; functions without a
    /// reservation share the rest.
    pub lambda_concurrency: u32,
}

impl Default for AccountConfig {
    fn default() -> Self {
        AccountConfig {
            lambda_concurrency: 1_000,
        }
    }
}

settings!(AccountConfig { lambda_concurrency });
