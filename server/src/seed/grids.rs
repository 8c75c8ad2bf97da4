//! The street, its communities and grids, with their outlines.
use super::{COMMUNITIES, GRID_PLACES};
use crate::db::grid::GridUpsert;
use app::domain::grid::GridLevel;

/// The street's outline, split into four communities (quadrants), each into three
/// grids (strips west to east).
const SOUTH: f64 = 33.570;
const NORTH: f64 = 33.594;
const WEST: f64 = 114.004;
const EAST: f64 = 114.036;

fn rect(s: f64, w: f64, n: f64, e: f64) -> (String, (f64, f64, f64, f64)) {
    let g = format!(
        r#"{{"type":"Polygon","coordinates":[[[{w},{s}],[{e},{s}],[{e},{n}],[{w},{n}],[{w},{s}]]]}}"#
    );
    (g, (s, w, n, e))
}

/// The bounds (south, west, north, east) of community `c` (0..4) and grid `k` (0..3).
pub fn grid_bounds(c: usize, k: usize) -> (f64, f64, f64, f64) {
    let mid_lat = (SOUTH + NORTH) / 2.0;
    let mid_lng = (WEST + EAST) / 2.0;
    let (s, n) = if c < 2 {
        (mid_lat, NORTH)
    } else {
        (SOUTH, mid_lat)
    };
    let (w, e) = if c.is_multiple_of(2) {
        (WEST, mid_lng)
    } else {
        (mid_lng, EAST)
    };
    let step = (e - w) / 3.0;
    // Both sides of a shared edge come from the same expression, so they are equal.
    let edge = |i: usize| if i == 3 { e } else { w + step * i as f64 };
    (s, edge(k), n, edge(k + 1))
}

pub fn demo_grids() -> Vec<GridUpsert> {
    let mut out = Vec::new();
    let (g, bbox) = rect(SOUTH, WEST, NORTH, EAST);
    out.push(GridUpsert {
        code: "LJ".into(),
        name: "老街街道".into(),
        level: GridLevel::Street,
        parent_code: None,
        geometry: g,
        bbox,
    });
    for (c, (code, name)) in COMMUNITIES.iter().enumerate() {
        let (s, w, _, _) = grid_bounds(c, 0);
        let (_, _, n, e) = grid_bounds(c, 2);
        let (g, bbox) = rect(s, w, n, e);
        out.push(GridUpsert {
            code: (*code).into(),
            name: (*name).into(),
            level: GridLevel::Community,
            parent_code: Some("LJ".into()),
            geometry: g,
            bbox,
        });
    }
    for c in 0..4 {
        for k in 0..3 {
            let (s, w, n, e) = grid_bounds(c, k);
            let (g, bbox) = rect(s, w, n, e);
            let short = COMMUNITIES[c].1.trim_end_matches("社区");
            out.push(GridUpsert {
                code: format!("{}-{:02}", COMMUNITIES[c].0, k + 1),
                name: format!("{short}{:02}网格·{}", k + 1, GRID_PLACES[c * 3 + k]),
                level: GridLevel::Grid,
                parent_code: Some(COMMUNITIES[c].0.into()),
                geometry: g,
                bbox,
            });
        }
    }
    out
}
