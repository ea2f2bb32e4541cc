//! The alarms in words: one or two sentences per loss no alarm caught
//! ([`crate::model::alarm::coverage`]).

use crate::format::thousands;
use crate::model::alarm::{Alarm, LossKind, UncaughtLoss};

/// One sentence (two when DroppedEventCount is part of the story) per uncaught loss.
pub fn uncaught(losses: &[UncaughtLoss], alarms: &[Alarm]) -> Vec<String> {
    losses.iter().map(|l| sentence(l, alarms)).collect()
}

/// What `loss` came to and why no alarm caught it.
pub fn sentence(loss: &UncaughtLoss, alarms: &[Alarm]) -> String {
    let n = thousands(loss.records);
    let c = loss.consumer.as_deref().unwrap_or("the consumer");
    let watching: Vec<&Alarm> = loss
        .watchers
        .iter()
        .filter_map(|&i| alarms.get(i))
        .collect();
    let metric = |a: &&Alarm| a.spec().metric.clone();
    let names: Vec<String> = watching.iter().map(metric).collect();
    match loss.kind {
        LossKind::DroppedByProducer if watching.is_empty() => format!(
            "{n} records producers dropped after throttling never reached the stream, and no alarm \
             watches the writes: an alarm on WriteProvisionedThroughputExceeded Sum > 0 would have fired."
        ),
        LossKind::DroppedByProducer => format!(
            "{n} records producers dropped after throttling never reached the stream; the alarm on {} \
             never went to ALARM.",
            names.join(" and ")
        ),
        LossKind::Skipped if watching.is_empty() => format!(
            "{n} records {c} gave up on (retries or record age used up) are gone, and no alarm watches \
             {c}: an alarm on {c}.DroppedEventCount Sum > 0 would have fired."
        ),
        LossKind::Skipped => format!(
            "{n} records {c} gave up on (retries or record age used up) are gone; no alarm on {} went to ALARM.",
            names.join(", ")
        ),
        LossKind::Expired => expired(loss, &n, c, &watching),
    }
}

/// Records retention removed before consumer `c` processed them.
fn expired(loss: &UncaughtLoss, n: &str, c: &str, watching: &[&Alarm]) -> String {
    let stream_age = watching
        .iter()
        .find(|a| a.spec().metric == "GetRecords.IteratorAgeMilliseconds");
    let mut text = match (loss.unread, stream_age) {
        (true, Some(a)) if !a.has_data() => format!(
            "{n} records expired on shards {c} never read; no alarm fired: \
             GetRecords.IteratorAgeMilliseconds has no datapoint for a shard no GetRecords call \
             reads, and the alarm treats missing data as {}.",
            a.spec().missing
        ),
        (true, Some(_)) => format!(
            "{n} records expired on shards {c} never read; no alarm fired: \
             GetRecords.IteratorAgeMilliseconds comes only from the shards GetRecords calls \
             read, and those were caught up: the stream's metric cannot show an unread shard."
        ),
        (true, None) => format!(
            "{n} records expired on shards {c} never read, and no alarm watches the stream's \
             iterator age."
        ),
        (false, _) if watching.is_empty() => format!(
            "{n} records expired before {c} processed them, and no alarm watches its iterator age: \
             one on GetRecords.IteratorAgeMilliseconds Maximum at a quarter of the retention would \
             have fired in time."
        ),
        (false, _) => format!(
            "{n} records expired before {c} processed them; no alarm watching {c} went to ALARM."
        ),
    };
    let dropped = format!("{c}.DroppedEventCount");
    if watching.iter().any(|a| a.spec().metric == dropped) {
        text.push_str(&format!(
            " {dropped} counts none of the {n} records retention deleted before {c} read them."
        ));
    }
    text
}
