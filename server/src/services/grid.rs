//! Grids: listing, one grid with staff (masked or audited), point-in-polygon, and
//! GeoJSON import/export.
use super::internal;
use crate::db::Db;
use crate::db::grid::{GridRow, GridUpsert, UpsertError};
use app::api::ports::GridPort;
use app::domain::AppError;
use app::domain::authz::{Action, allowed, require};
use app::domain::geo::{LatLng, MapConfig};
use app::domain::grid::{
    Duty, GridDetail, GridId, GridLevel, GridSummary, ImportReport, StaffView, check_code,
    sort_staff,
};
use app::domain::user::{Actor, mask_phone};
use app::i18n::Msg;
use geo::{BoundingRect, Intersects, MultiPolygon, Point, Polygon};
use geojson::{Feature, FeatureCollection, GeoJson, Geometry, GeometryValue, JsonObject};

pub struct GridService {
    pub db: Db,
    pub map: MapConfig,
}

/// A grid outline as geometry: every grid is a MultiPolygon (a Polygon is one part).
pub fn parse_shape(geometry: &str) -> Result<MultiPolygon<f64>, Msg> {
    let g: Geometry = geometry.parse().map_err(|_| Msg::ErrGeometry)?;
    shape_of(&g)
}

fn shape_of(g: &Geometry) -> Result<MultiPolygon<f64>, Msg> {
    let mp = match &g.value {
        GeometryValue::Polygon { .. } => MultiPolygon(vec![
            Polygon::try_from(&g.value).map_err(|_| Msg::ErrGeometry)?,
        ]),
        GeometryValue::MultiPolygon { .. } => {
            MultiPolygon::try_from(&g.value).map_err(|_| Msg::ErrGeometry)?
        }
        _ => return Err(Msg::ErrGeometry),
    };
    let valid = !mp.0.is_empty()
        && mp.0.iter().all(|p| {
            p.exterior().0.len() >= 4
                && p.exterior()
                    .0
                    .iter()
                    .all(|c| LatLng::new(c.y, c.x).is_valid())
        });
    if valid { Ok(mp) } else { Err(Msg::ErrGeometry) }
}

/// A point inside a grid's outline (its own, not on an edge), for things placed in a
/// grid rather than at a spot: a council concern turned into a ticket.
pub fn point_inside(geometry: &str) -> Option<LatLng> {
    use geo::InteriorPoint;
    let p = parse_shape(geometry).ok()?.interior_point()?;
    Some(LatLng::new(p.y(), p.x()))
}

/// Outer rings as the map draws them.
fn rings(shape: &MultiPolygon<f64>) -> Vec<Vec<LatLng>> {
    shape
        .0
        .iter()
        .map(|p| {
            p.exterior()
                .0
                .iter()
                .map(|c| LatLng::new(c.y, c.x))
                .collect()
        })
        .collect()
}

fn summary(row: &GridRow) -> GridSummary {
    GridSummary {
        id: row.id,
        parent: row.parent,
        level: row.level,
        code: row.code.clone(),
        name: row.name.clone(),
        rings: parse_shape(&row.geometry)
            .map(|s| rings(&s))
            .unwrap_or_default(),
    }
}

/// Of the candidate grids (lowest id first), the first whose outline touches the
/// point: a point on a shared edge belongs to exactly one grid.
pub fn first_containing(candidates: &[GridRow], at: LatLng) -> Option<&GridRow> {
    let p = Point::new(at.lng, at.lat);
    candidates
        .iter()
        .find(|g| parse_shape(&g.geometry).is_ok_and(|s| s.intersects(&p)))
}

/// Points one grid's outline may have (a compound's outline needs a few hundred).
pub const VERTICES_MAX: usize = 5_000;
/// Points one import may have in all.
pub const IMPORT_VERTICES_MAX: usize = 200_000;
/// Widest a grid may be, in degrees (about 50 km): a whole district is not a grid.
const SPAN_MAX_DEG: f64 = 0.5;
/// Smallest area, in square degrees (about a square metre): no outline is a line.
const AREA_MIN_DEG2: f64 = 1e-10;

/// Every ring as written must end where it starts (geo would close it silently).
fn rings_closed(g: &Geometry) -> bool {
    let closed = |ring: &Vec<geojson::Position>| ring.len() >= 4 && ring.first() == ring.last();
    match &g.value {
        GeometryValue::Polygon { coordinates } => coordinates.iter().all(closed),
        GeometryValue::MultiPolygon { coordinates } => {
            coordinates.iter().all(|p| p.iter().all(closed))
        }
        _ => false,
    }
}

/// A grid's outline must be a real area: closed rings, no edge crossing another, not
/// flat, not wider than a district, not more points than an outline needs.
fn check_outline(g: &Geometry, shape: &MultiPolygon<f64>) -> Result<(), Msg> {
    use geo::{Area, CoordsIter, Validation};
    if !rings_closed(g) {
        return Err(Msg::ErrGeometryOpen);
    }
    if shape.coords_count() > VERTICES_MAX {
        return Err(Msg::ErrGeometryTooBig);
    }
    if !shape.is_valid() {
        return Err(Msg::ErrGeometryInvalid);
    }
    if shape.0.iter().any(|p| p.unsigned_area() < AREA_MIN_DEG2) {
        return Err(Msg::ErrGeometryInvalid);
    }
    let r = shape.bounding_rect().ok_or(Msg::ErrGeometry)?;
    if r.width() > SPAN_MAX_DEG || r.height() > SPAN_MAX_DEG {
        return Err(Msg::ErrGeometryTooBig);
    }
    Ok(())
}

/// Validates a FeatureCollection into upserts, parents first. An error names the
/// feature (`features[3]`, counting from 0) in its field.
pub fn parse_import(text: &str) -> Result<Vec<GridUpsert>, AppError> {
    let whole = |m: Msg| AppError::invalid("geojson", m);
    let gj: GeoJson = text.parse().map_err(|_| whole(Msg::ErrGeojson))?;
    let GeoJson::FeatureCollection(fc) = gj else {
        return Err(whole(Msg::ErrGeojson));
    };
    let mut out: Vec<GridUpsert> = Vec::with_capacity(fc.features.len());
    let mut vertices = 0usize;
    for (i, f) in fc.features.iter().enumerate() {
        let at = format!("features[{i}]");
        let bad = |m: Msg| AppError::invalid(&at, m);
        let prop = |k: &str| f.property(k).and_then(|v| v.as_str()).map(str::trim);
        let code = prop("code").unwrap_or_default().to_owned();
        check_code(&code).map_err(bad)?;
        let name = prop("name").unwrap_or_default().to_owned();
        if name.is_empty() || name.chars().count() > 40 {
            return Err(bad(Msg::ErrGridName));
        }
        let level = f
            .property("level")
            .and_then(|v| v.as_i64())
            .and_then(GridLevel::from_i64)
            .ok_or(bad(Msg::ErrGridLevel))?;
        let parent_code = prop("parent_code")
            .filter(|s| !s.is_empty())
            .map(str::to_owned);
        if out.iter().any(|g| g.code == code) {
            return Err(bad(Msg::ErrGridCodeTwice));
        }
        let geometry = f.geometry.as_ref().ok_or(bad(Msg::ErrGeometry))?;
        let shape = shape_of(geometry).map_err(bad)?;
        check_outline(geometry, &shape).map_err(bad)?;
        vertices += geo::CoordsIter::coords_count(&shape);
        if vertices > IMPORT_VERTICES_MAX {
            return Err(whole(Msg::ErrGeometryTooBig));
        }
        let r = shape.bounding_rect().ok_or(bad(Msg::ErrGeometry))?;
        out.push(GridUpsert {
            code,
            name,
            level,
            parent_code,
            geometry: geometry.to_string(),
            bbox: (r.min().y, r.min().x, r.max().y, r.max().x),
        });
    }
    out.sort_by_key(|g| g.level as i64);
    Ok(out)
}

/// All grids as a FeatureCollection with `code`, `name`, `level`, `parent_code`.
pub fn export(rows: &[GridRow]) -> FeatureCollection {
    let code_of = |id: GridId| rows.iter().find(|r| r.id == id).map(|r| r.code.clone());
    let features = rows
        .iter()
        .filter_map(|r| {
            let geometry: Geometry = r.geometry.parse().ok()?;
            let mut props = JsonObject::new();
            props.insert("code".into(), r.code.clone().into());
            props.insert("name".into(), r.name.clone().into());
            props.insert("level".into(), (r.level as i64).into());
            props.insert(
                "parent_code".into(),
                r.parent
                    .and_then(code_of)
                    .map_or(serde_json::Value::Null, Into::into),
            );
            Some(Feature {
                geometry: Some(geometry),
                properties: Some(props),
                ..Default::default()
            })
        })
        .collect();
    FeatureCollection {
        features,
        bbox: None,
        foreign_members: None,
    }
}

#[async_trait::async_trait]
impl GridPort for GridService {
    async fn list(&self, actor: &Actor) -> Result<Vec<GridSummary>, AppError> {
        require(actor, Action::ViewGrids)?;
        let rows = self.db.list_grids().await.map_err(internal)?;
        Ok(rows.iter().map(summary).collect())
    }

    async fn detail(&self, actor: &Actor, id: GridId) -> Result<GridDetail, AppError> {
        require(actor, Action::ViewGrids)?;
        let row = self
            .db
            .grid(id)
            .await
            .map_err(internal)?
            .ok_or(AppError::NotFound)?;
        let mut ancestors = Vec::new();
        let mut up = row.parent;
        while let Some(pid) = up {
            let Some(p) = self.db.grid(pid).await.map_err(internal)? else {
                break;
            };
            ancestors.insert(0, p.name.clone());
            up = p.parent;
        }
        let unmasked = allowed(actor, Action::ViewStaffContacts);
        let mut staff: Vec<StaffView> = self
            .db
            .grid_staff(id)
            .await
            .map_err(internal)?
            .into_iter()
            .map(|(duty, name, phone)| StaffView {
                duty,
                name,
                phone: if unmasked { phone } else { mask_phone(&phone) },
            })
            .collect();
        sort_staff(&mut staff);
        if unmasked && !staff.is_empty() {
            self.db
                .audit(
                    actor.user_id(),
                    "read_staff_contacts",
                    &format!("grid:{}", id.0),
                )
                .await
                .map_err(internal)?;
        }
        let children = self.db.grid_children(id).await.map_err(internal)?;
        Ok(GridDetail {
            grid: summary(&row),
            ancestors,
            staff,
            children: children.iter().map(summary).collect(),
        })
    }

    async fn locate(&self, actor: &Actor, at: LatLng) -> Result<Option<GridSummary>, AppError> {
        require(actor, Action::ViewGrids)?;
        if !at.is_valid() {
            return Err(AppError::invalid("location", Msg::ErrLocation));
        }
        let candidates = self
            .db
            .grids_with_bbox_at(at.lat, at.lng)
            .await
            .map_err(internal)?;
        Ok(first_containing(&candidates, at).map(summary))
    }

    async fn import(&self, actor: &Actor, geojson: &str) -> Result<ImportReport, AppError> {
        require(actor, Action::ImportGrids)?;
        let items = parse_import(geojson)?;
        let (created, updated) = self.db.upsert_grids(&items).await.map_err(|e| match e {
            UpsertError::ParentMissing(_) => AppError::invalid("geojson", Msg::ErrGridParent),
            UpsertError::LevelMismatch(_) => AppError::invalid("geojson", Msg::ErrGridLevel),
            UpsertError::Sqlx(e) => internal(e),
        })?;
        Ok(ImportReport { created, updated })
    }

    async fn targets(&self, actor: &Actor) -> Result<Vec<GridSummary>, AppError> {
        require(actor, Action::PublishAlerts)?;
        let user = super::signed_in(actor)?;
        Ok(super::sendable(&self.db, user)
            .await?
            .iter()
            .map(summary)
            .collect())
    }

    async fn staff_phone(
        &self,
        actor: &Actor,
        grid: GridId,
        duty: Duty,
    ) -> Result<String, AppError> {
        require(actor, Action::OwnAccount)?;
        let (_, name, phone) = self
            .db
            .grid_staff(grid)
            .await
            .map_err(internal)?
            .into_iter()
            .find(|(d, _, _)| *d == duty)
            .ok_or(AppError::NotFound)?;
        // Written before the number leaves: no read goes unlogged.
        self.db
            .audit(
                actor.user_id(),
                "call.staff",
                &format!("grid:{} {} {name}", grid.0, duty.as_str()),
            )
            .await
            .map_err(internal)?;
        Ok(phone)
    }

    fn map_config(&self) -> MapConfig {
        self.map.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(id: i64, x0: f64, y0: f64, x1: f64, y1: f64) -> GridRow {
        GridRow {
            id: GridId(id),
            parent: None,
            level: GridLevel::Grid,
            code: format!("g{id}"),
            name: format!("g{id}"),
            geometry: format!(
                r#"{{"type":"Polygon","coordinates":[[[{x0},{y0}],[{x1},{y0}],[{x1},{y1}],[{x0},{y1}],[{x0},{y0}]]]}}"#
            ),
        }
    }

    #[test]
    fn point_in_polygon_inside_outside_and_on_shared_edge() {
        let grids = [
            square(1, 114.0, 33.0, 114.1, 33.1),
            square(2, 114.1, 33.0, 114.2, 33.1),
        ];
        let at = |lat, lng| first_containing(&grids, LatLng::new(lat, lng)).map(|g| g.id.0);
        assert_eq!(at(33.05, 114.05), Some(1));
        assert_eq!(at(33.05, 114.15), Some(2));
        // On the shared edge: the lower id, deterministically.
        assert_eq!(at(33.05, 114.1), Some(1));
        // A hair either side of the edge.
        assert_eq!(at(33.05, 114.099_999_9), Some(1));
        assert_eq!(at(33.05, 114.100_000_1), Some(2));
        // Outside every grid.
        assert_eq!(at(33.2, 114.05), None);
        assert_eq!(at(33.05, 113.999_999_9), None);
    }

    #[test]
    fn holes_are_outside() {
        let g = GridRow {
            geometry: r#"{"type":"Polygon","coordinates":[[[0,0],[10,0],[10,10],[0,10],[0,0]],[[4,4],[6,4],[6,6],[4,6],[4,4]]]}"#.into(),
            ..square(1, 0.0, 0.0, 1.0, 1.0)
        };
        assert!(first_containing(std::slice::from_ref(&g), LatLng::new(5.0, 5.0)).is_none());
        assert!(first_containing(std::slice::from_ref(&g), LatLng::new(2.0, 2.0)).is_some());
    }

    #[test]
    fn import_rejects_bad_input_with_reasons() {
        let msg = |t: &str| match parse_import(t) {
            Err(AppError::Invalid { msg, .. }) => Some(msg),
            _ => None,
        };
        assert_eq!(msg("not json"), Some(Msg::ErrGeojson));
        assert_eq!(
            msg(r#"{"type":"Point","coordinates":[1,2]}"#),
            Some(Msg::ErrGeojson)
        );
        let feature = |props: &str, geom: &str| {
            format!(
                r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{props},"geometry":{geom}}}]}}"#
            )
        };
        let poly =
            r#"{"type":"Polygon","coordinates":[[[114,33],[114.1,33],[114.1,33.1],[114,33]]]}"#;
        assert_eq!(
            msg(&feature(r#"{"code":"老街","name":"x","level":1}"#, poly)),
            Some(Msg::ErrGridCode)
        );
        assert_eq!(
            msg(&feature(r#"{"code":"a","name":"","level":1}"#, poly)),
            Some(Msg::ErrGridName)
        );
        assert_eq!(
            msg(&feature(r#"{"code":"a","name":"x","level":7}"#, poly)),
            Some(Msg::ErrGridLevel)
        );
        assert_eq!(
            msg(&feature(
                r#"{"code":"a","name":"x","level":1}"#,
                r#"{"type":"Point","coordinates":[1,2]}"#
            )),
            Some(Msg::ErrGeometry)
        );
        assert_eq!(
            msg(&feature(
                r#"{"code":"a","name":"x","level":1}"#,
                r#"{"type":"Polygon","coordinates":[[[500,33],[114.1,33],[114.1,33.1],[500,33]]]}"#
            )),
            Some(Msg::ErrGeometry)
        );
        let ok = parse_import(&feature(r#"{"code":"a","name":"x","level":1}"#, poly));
        assert!(ok.is_ok_and(|v| v.len() == 1 && v[0].bbox == (33.0, 114.0, 33.1, 114.1)));
    }
}
