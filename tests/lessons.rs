//! Each preset's lesson agrees with its run and with the facts it teaches.
#![cfg(not(target_arch = "wasm32"))]

use kinesis_playground::model::presets::{self, Preset};

fn preset(name: &str) -> Preset {
    presets::find(name).unwrap_or_else(|| panic!("no preset {name}"))
}

/// Asserts that `text` of preset `name` holds every one of `parts`.
fn quotes(name: &str, text: &str, parts: &[String]) {
    for part in parts {
        assert!(
            text.contains(part.as_str()),
            "{name}: {part:?} is not in {text:?}"
        );
    }
}

#[test]
fn scenario_2_says_who_resends_throttled_entries_and_what_its_retry_settings_are() {
    // The SDKs retry a whole failed call, but a PutRecords call whose entries were
    // throttled succeeds (HTTP 200, FailedRecordCount): the application or the KPL must
    // resend those entries, and the preset's retry policy stands for that loop.
    let p = preset("scenario-2");
    let text = p.explanation;
    quotes(
        p.name,
        text,
        &[
            "PutRecords",
            "HTTP 200",
            "FailedRecordCount",
            "the AWS SDKs do not retry those entries",
            "the application (or the KPL) has to send them again",
            "retry settings stand for that resend loop in the producer",
        ]
        .map(String::from),
    );
    // It does not repeat the belief that the SDK's retries make records land.
    let lower = text.to_lowercase();
    for wrong in ["sdk retries", "sdk's retries", "the sdk retries"] {
        assert!(!lower.contains(wrong), "{wrong:?} in {text:?}");
    }
    // The resend loop, not the SDK's standard mode (3 attempts), is what the preset sets.
    assert_eq!(p.config.producers[0].retry.max_attempts, 10);
}
