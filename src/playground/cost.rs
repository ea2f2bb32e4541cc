//! The cost panel: the last minute's spend rate by line item, per hour and per month,
//! and the list of prices behind it.

use crate::format::usd;
use crate::model::cost::{Price, Spend, HOURS_PER_MONTH, PRICES};

/// One line item of the cost panel.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CostRow {
    /// What is paid for.
    pub item: &'static str,
    /// US dollars per hour at the last minute's rate.
    pub usd_per_hour: f64,
}

/// The line items of `rate` (a spend rate per hour), in the panel's order.
pub fn cost_rows(rate: &Spend) -> [CostRow; 6] {
    let row = |item, usd_per_hour| CostRow { item, usd_per_hour };
    [
        row("Shards", rate.shards),
        row("PUT payload units", rate.put_units),
        row("Retention beyond 24 h", rate.retention),
        row("Enhanced fan-out", rate.enhanced_fan_out),
        row("Lambda", rate.lambda),
        row("Fargate (ECS)", rate.fargate),
    ]
}

/// The panel's HTML for spend rate `rate`: the total per hour and per month, then a
/// table of the line items.
pub fn cost_html(rate: &Spend) -> String {
    let mut text = format!(
        "<p class=\"total\">{} per hour · {} per month</p><table><tbody>",
        usd(rate.total(), 3),
        usd(rate.total() * HOURS_PER_MONTH, 0)
    );
    for row in cost_rows(rate) {
        text.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td>{}/h</td><td>{}/month</td></tr>",
            row.item,
            usd(row.usd_per_hour, 4),
            usd(row.usd_per_hour * HOURS_PER_MONTH, 2)
        ));
    }
    text.push_str(
        "</tbody></table><p class=\"note\">Rate over the last simulated minute. Lambda is billed \
         at each function's memory (memory_mb, 256 MB unless the settings say otherwise); each ECS \
         task at its vCPU and memory (0.5 vCPU and 1 GB unless they say otherwise).</p>",
    );
    text
}

/// The heading of the price list.
pub const PRICES_TITLE: &str = "Prices used (us-east-1)";

/// Every price the cost model uses, for the page's list.
pub fn price_list() -> [Price; 10] {
    let p = PRICES;
    [
        p.shard_hour,
        p.put_million_units,
        p.extended_retention_shard_hour,
        p.long_term_gb_month,
        p.efo_consumer_shard_hour,
        p.efo_gb,
        p.lambda_gb_second,
        p.lambda_million_requests,
        p.fargate_vcpu_hour,
        p.fargate_gb_hour,
    ]
}

/// One line per price: amount, unit, source and date.
pub fn price_lines() -> Vec<String> {
    price_list()
        .iter()
        .map(|p| format!("${} per {} — {}, {}", p.usd, p.unit, p.source, p.date))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spend() -> Spend {
        Spend {
            shards: 0.03,
            put_units: 0.0504,
            retention: 0.0,
            enhanced_fan_out: 0.0,
            lambda: 0.025,
            fargate: 0.5,
        }
    }

    #[test]
    fn rows_follow_the_line_items() {
        let rows = cost_rows(&spend());
        let items: Vec<&str> = rows.iter().map(|r| r.item).collect();
        assert_eq!(
            items,
            [
                "Shards",
                "PUT payload units",
                "Retention beyond 24 h",
                "Enhanced fan-out",
                "Lambda",
                "Fargate (ECS)"
            ]
        );
        assert_eq!(rows[1].usd_per_hour, 0.0504);
        assert_eq!(rows[5].usd_per_hour, 0.5);
    }

    #[test]
    fn the_panel_gives_hour_and_month_rates() {
        let html = cost_html(&spend());
        // 0.6054 $/h; × 730 h = 441.942 $/month.
        assert!(
            html.starts_with("<p class=\"total\">$0.605 per hour · $442 per month</p>"),
            "{html}"
        );
        assert!(html.contains(
            "<tr><th scope=\"row\">Shards</th><td>$0.0300/h</td><td>$21.90/month</td></tr>"
        ));
        assert!(html.contains(
            "<tr><th scope=\"row\">Fargate (ECS)</th><td>$0.5000/h</td><td>$365.00/month</td></tr>"
        ));
        assert!(html.contains("Rate over the last simulated minute. Lambda is billed"));
        let lambda = crate::model::LambdaConfig::default();
        let ecs = crate::model::KclConfig::default();
        let defaults = format!(
            "{} MB unless the settings say otherwise); each ECS task at its vCPU and memory ({} \
             vCPU and {} GB unless",
            lambda.memory_mb, ecs.vcpu, ecs.memory_gb
        );
        assert!(html.contains(&defaults), "{html}");
        assert_eq!(html.matches("<tr>").count(), 6);
    }

    #[test]
    fn thousands_of_dollars_are_grouped() {
        // 15.71 $/h × 730 h = 11,468.3 $/month.
        let big = Spend {
            fargate: 15.71,
            ..Spend::default()
        };
        let html = cost_html(&big);
        assert!(
            html.starts_with("<p class=\"total\">$15.710 per hour · $11,468 per month</p>"),
            "{html}"
        );
        assert!(
            html.contains("<td>$15.7100/h</td><td>$11,468.30/month</td>"),
            "{html}"
        );
    }

    #[test]
    fn every_price_is_listed_with_its_source() {
        let lines = price_lines();
        assert_eq!(lines.len(), 10);
        let shard = PRICES.shard_hour;
        assert_eq!(
            lines[0],
            format!(
                "${} per {} — {}, {}",
                shard.usd, shard.unit, shard.source, shard.date
            )
        );
        assert!(lines
            .iter()
            .all(|l| l.starts_with('$') && l.contains(" per ")));
    }
}
