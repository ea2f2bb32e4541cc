//! Edits of the running settings the property tests make between ticks.

use proptest::sample::Index;

use kinesis_playground::model::{Config, ConsumerConfig, KclConfig, LambdaConfig, ProducerConfig};

use super::gen::MAX_CONSUMERS;

/// One change of the running settings.
#[derive(Debug, Clone)]
pub enum Edit {
    /// The same settings again.
    Unchanged,
    /// UpdateShardCount to this many shards.
    Reshard(u32),
    /// A new retention, hours.
    Retention(u32),
    /// A consumer joins (its name is given when it is applied).
    AddConsumer(ConsumerConfig),
    /// A consumer leaves.
    RemoveConsumer(Index),
    /// A consumer is replaced by one of the other kind under the same name.
    ReplaceKind(Index),
    /// A KCL consumer is asked for this many tasks.
    Tasks(Index, u32),
    /// A producer joins (its name is given when it is applied).
    AddProducer(ProducerConfig),
    /// A producer leaves, with whatever retries it holds.
    RemoveProducer(Index),
    /// A producer's rate changes.
    Rate(Index, f64),
}

impl Edit {
    /// `config` with this edit made; `fresh` numbers the names of added members.
    pub fn applied_to(&self, config: &Config, fresh: &mut u32) -> Config {
        let mut c = config.clone();
        let mut name = |prefix: &str| {
            *fresh += 1;
            format!("{prefix}{fresh}")
        };
        match self {
            Edit::Unchanged => {}
            // An on-demand stream sets its own shard count.
            Edit::Reshard(n) if !c.stream.mode.on_demand() => c.stream.shards = *n,
            Edit::Reshard(_) => {}
            Edit::Retention(h) => c.stream.retention_hours = *h,
            Edit::AddConsumer(consumer) if c.consumers.len() < MAX_CONSUMERS => {
                let mut consumer = consumer.clone();
                match &mut consumer {
                    ConsumerConfig::Lambda(l) => l.name = name("n"),
                    ConsumerConfig::Kcl(k) => k.name = name("n"),
                }
                c.consumers.push(consumer);
            }
            Edit::AddConsumer(_) => {}
            Edit::RemoveConsumer(i) if !c.consumers.is_empty() => {
                c.consumers.remove(i.index(c.consumers.len()));
            }
            Edit::ReplaceKind(i) if !c.consumers.is_empty() => {
                let i = i.index(c.consumers.len());
                let name = c.consumers[i].name().to_string();
                c.consumers[i] = match &c.consumers[i] {
                    ConsumerConfig::Lambda(_) => ConsumerConfig::Kcl(KclConfig {
                        name,
                        ..KclConfig::default()
                    }),
                    ConsumerConfig::Kcl(_) => ConsumerConfig::Lambda(LambdaConfig {
                        name,
                        ..LambdaConfig::default()
                    }),
                };
            }
            Edit::Tasks(i, tasks) => {
                let kcl: Vec<&mut KclConfig> = c
                    .consumers
                    .iter_mut()
                    .filter_map(|c| match c {
                        ConsumerConfig::Kcl(k) => Some(k),
                        ConsumerConfig::Lambda(_) => None,
                    })
                    .collect();
                let n = kcl.len();
                if let Some(k) = kcl.into_iter().nth(i.index(n.max(1))) {
                    k.tasks = *tasks;
                }
            }
            Edit::AddProducer(producer) => {
                c.producers.push(ProducerConfig {
                    name: name("q"),
                    ..producer.clone()
                });
            }
            Edit::RemoveProducer(i) if !c.producers.is_empty() => {
                c.producers.remove(i.index(c.producers.len()));
            }
            Edit::Rate(i, rate) if !c.producers.is_empty() => {
                let n = c.producers.len();
                c.producers[i.index(n)].records_per_sec = *rate;
            }
            Edit::RemoveConsumer(_)
            | Edit::ReplaceKind(_)
            | Edit::RemoveProducer(_)
            | Edit::Rate(..) => {}
        }
        c
    }
}

/// Keeps an on-demand stream's producers to at most 2.5 MB/s each, so the shards the
/// stream opens for them (twice the peak) stay few enough for every tick to be checked.
pub fn modest(p: &mut ProducerConfig) {
    p.records_per_sec = p.records_per_sec.min(500.0);
    p.record_bytes = p.record_bytes.min(1_000);
}
