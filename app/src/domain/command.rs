//! The command screen (指挥中心大屏): one snapshot of the street or one community —
//! the day's and month's funnel, overdue tickets per community, top categories and
//! grids, reports by hour, where tickets are, the active alert's coverage, who is on
//! duty, volunteers on patrol, running emergency timers, overdue key sites and cameras.
use crate::domain::camera::Camera;
use crate::domain::duty::OnDutyNow;
use crate::domain::emergency::{Ringing, TimerFigures};
use crate::domain::site::Site;
use serde::{Deserialize, Serialize};

/// Reported → accepted → fixed → checked → closed, counted over a span.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Funnel {
    pub reported: i64,
    pub accepted: i64,
    pub fixed: i64,
    pub checked: i64,
    pub closed: i64,
}

/// A named count (a community, a category, a grid).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Count {
    pub name: String,
    pub n: i64,
}

/// Tickets in one cell of about 200 m (its centre).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct HeatCell {
    pub lat: f64,
    pub lng: f64,
    pub n: i64,
}

/// The alert now in force and how far it reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertReach {
    pub id: i64,
    pub title: String,
    pub targeted: i64,
    pub reached: i64,
    pub safe: i64,
    pub need_help: i64,
}

/// A volunteer shift under way, with who has checked in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Patrol {
    pub title: String,
    pub people: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommandSnapshot {
    pub at_ms: i64,
    /// 0: the street; otherwise a community.
    pub scope: i64,
    pub scope_name: String,
    /// The scopes the viewer may switch to (id, name); empty: only this one.
    pub scopes: Vec<(i64, String)>,
    pub today: Funnel,
    pub month: Funnel,
    pub overdue: Vec<Count>,
    pub top_categories: Vec<Count>,
    pub top_grids: Vec<Count>,
    /// Reports in each hour of today (China time), 24 numbers.
    pub by_hour: Vec<i64>,
    pub heat: Vec<HeatCell>,
    pub alert: Option<AlertReach>,
    pub on_duty: Vec<OnDutyNow>,
    pub patrols: Vec<Patrol>,
    pub emergencies: Vec<Ringing>,
    pub timers: TimerFigures,
    pub sites_overdue: Vec<Site>,
    pub sites_overdue_total: i64,
    pub cameras: Vec<Camera>,
}

/// Cells of the heat map: a cell is 1/500 of a degree (about 200 m here).
pub const HEAT_CELLS_PER_DEGREE: f64 = 500.0;
/// At most this many cells are sent (the busiest).
pub const HEAT_MAX: i64 = 2000;

/// Start of the China day holding `now` (UTC+8, no daylight saving).
pub fn day_start(now: i64) -> i64 {
    const DAY: i64 = 86_400_000;
    const CST: i64 = 8 * 3_600_000;
    (now + CST).div_euclid(DAY) * DAY - CST
}

/// The 24 hourly counts from (hour, count) rows; hours outside 0..24 are dropped.
pub fn hours(rows: &[(i64, i64)]) -> Vec<i64> {
    let mut out = vec![0; 24];
    for (h, n) in rows {
        if let Ok(i) = usize::try_from(*h)
            && i < 24
        {
            out[i] += n;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_china_day_starts_at_16_utc() {
        // 2026-12-06 01:30 CST is 2026-12-05 17:30 UTC.
        let t = 1_764_955_800_000; // 2025-12-05 17:30:00 UTC
        let start = day_start(t);
        assert_eq!((t - start) / 60_000, 90);
        assert_eq!(day_start(start), start);
        assert_eq!(day_start(start - 1), start - 86_400_000);
    }

    #[test]
    fn hourly_counts() {
        assert_eq!(hours(&[(0, 2), (23, 1), (24, 9), (-1, 9)])[..2], [2, 0]);
        assert_eq!(hours(&[(23, 1)])[23], 1);
    }
}
