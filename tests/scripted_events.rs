//! Scripted events are a promise: an edit of the running settings that would make an
//! event still to come impossible is refused, naming the event; once an event has
//! applied, the same edit goes through.

use kinesis_playground::model::{Config, ConsumerConfig, Simulation};

fn scripted() -> Config {
    Config::from_json(
        r#"{
            "producers": [{"name": "web", "records_per_sec": 100}],
            "consumers": [{"type": "lambda", "name": "fn"}, {"type": "kcl", "name": "ecs"}],
            "events": [{"at_s": 3600, "set": {"consumers.ecs.tasks": 4}}]
        }"#,
    )
    .expect("config")
}

fn without_ecs(config: &Config) -> Config {
    let mut edited = config.clone();
    edited.consumers.retain(|c| c.name() != "ecs");
    edited
}

fn ecs_tasks(sim: &Simulation) -> Option<u32> {
    sim.config().consumers.iter().find_map(|c| match c {
        ConsumerConfig::Kcl(k) if k.name == "ecs" => Some(k.tasks),
        _ => None,
    })
}

#[test]
fn an_edit_that_would_break_an_event_to_come_is_refused_and_names_it() {
    let mut sim = Simulation::new(scripted()).expect("sim");
    sim.run_for(600);
    let err = sim
        .apply(without_ecs(sim.config()))
        .expect_err("the event at 3600 s needs consumer ecs");
    assert_eq!(err.path, "events[0].set.consumers.ecs.tasks");
    assert!(
        err.message
            .contains("the event at 3600 s could no longer apply"),
        "{err}"
    );
    // Nothing changed: ecs still runs and the event applies on time.
    assert_eq!(ecs_tasks(&sim), Some(2));
    sim.run_for(3_001);
    assert_eq!(sim.events_applied(), 1);
    assert_eq!(ecs_tasks(&sim), Some(4));
    assert!(sim.refused_events().is_empty());
}

#[test]
fn once_the_event_has_applied_the_same_edit_goes_through() {
    let mut sim = Simulation::new(scripted()).expect("sim");
    sim.run_for(3_601);
    assert_eq!(sim.events_applied(), 1);
    sim.apply(without_ecs(sim.config()))
        .expect("nothing left needs ecs");
    assert_eq!(ecs_tasks(&sim), None);
    assert_eq!(sim.config().consumers.len(), 1);
}

#[test]
fn an_edit_that_makes_an_event_value_invalid_is_refused() {
    // The event reserves 900 executions; an account pool of 500 could not hold them.
    let mut config = scripted();
    config.events[0]
        .set
        .insert("consumers.fn.reserved_concurrency".into(), 900.into());
    let mut sim = Simulation::new(config).expect("sim");
    let mut smaller = sim.config().clone();
    smaller.account.lambda_concurrency = 500;
    let err = sim.apply(smaller).expect_err("900 reserved of 500");
    assert_eq!(err.path, "events[0].set.consumers.fn.reserved_concurrency");
    assert_eq!(sim.config().account.lambda_concurrency, 1_000);
}
