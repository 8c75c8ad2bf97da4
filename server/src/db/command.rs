//! The command screen's figures, counted in the database. A scope is the street
//! (`None`) or a community; it and the time bounds are validated numbers written
//! into the statements (bound ranges would get PostgreSQL's generic plans).
use super::Db;
use app::domain::command::{Count, Funnel, HEAT_CELLS_PER_DEGREE, HEAT_MAX, HeatCell, Patrol};
use sqlx::Row;

fn scope_sql(community: Option<i64>) -> String {
    community.map_or_else(String::new, |c| format!(" AND t.community_id = {c}"))
}

fn counts(rows: &[sqlx::any::AnyRow]) -> Result<Vec<Count>, sqlx::Error> {
    rows.iter()
        .map(|r| {
            Ok(Count {
                name: r.try_get::<Option<String>, _>("name")?.unwrap_or_default(),
                n: r.try_get("n")?,
            })
        })
        .collect()
}

impl Db {
    pub async fn command_funnel(
        &self,
        community: Option<i64>,
        from: i64,
        to: i64,
    ) -> Result<Funnel, sqlx::Error> {
        let r = sqlx::query(&format!(
            "SELECT COUNT(*) AS reported,
               COALESCE(SUM(CASE WHEN t.status NOT IN ('pending', 'rejected', 'duplicate') THEN 1 ELSE 0 END), 0) AS accepted,
               COALESCE(SUM(CASE WHEN t.status IN ('checking', 'resolved', 'closed') THEN 1 ELSE 0 END), 0) AS fixed,
               COALESCE(SUM(CASE WHEN t.status IN ('resolved', 'closed') THEN 1 ELSE 0 END), 0) AS checked,
               COALESCE(SUM(CASE WHEN t.status = 'closed' THEN 1 ELSE 0 END), 0) AS closed
             FROM tickets t WHERE t.created_at >= {from} AND t.created_at < {to}{}",
            scope_sql(community)
        ))
        .fetch_one(&self.pool)
        .await?;
        Ok(Funnel {
            reported: r.try_get("reported")?,
            accepted: r.try_get("accepted")?,
            fixed: r.try_get("fixed")?,
            checked: r.try_get("checked")?,
            closed: r.try_get("closed")?,
        })
    }

    /// Open tickets past a deadline (escalated and not yet moved on), per community.
    pub async fn command_overdue(&self, community: Option<i64>) -> Result<Vec<Count>, sqlx::Error> {
        let rows = sqlx::query(&format!(
            "SELECT g.name AS name, COUNT(*) AS n FROM tickets t
             LEFT JOIN grids g ON g.id = t.community_id
             WHERE t.status IN ('pending', 'accepted', 'in_progress', 'checking')
               AND t.escalation > 0{}
             GROUP BY g.name ORDER BY n DESC, g.name",
            scope_sql(community)
        ))
        .fetch_all(&self.pool)
        .await?;
        counts(&rows)
    }

    /// The busiest categories and grids since `from`, five each.
    pub async fn command_tops(
        &self,
        community: Option<i64>,
        from: i64,
    ) -> Result<(Vec<Count>, Vec<Count>), sqlx::Error> {
        let scope = scope_sql(community);
        let cats = sqlx::query(&format!(
            "SELECT c.name_zh AS name, x.n FROM (SELECT t.category_id, COUNT(*) AS n FROM tickets t
               WHERE t.created_at >= {from}{scope} GROUP BY t.category_id ORDER BY n DESC LIMIT 5) x
             JOIN categories c ON c.id = x.category_id ORDER BY x.n DESC, c.name_zh"
        ))
        .fetch_all(&self.pool)
        .await?;
        let grids = sqlx::query(&format!(
            "SELECT g.name AS name, x.n FROM (SELECT t.grid_id, COUNT(*) AS n FROM tickets t
               WHERE t.created_at >= {from} AND t.grid_id IS NOT NULL{scope}
               GROUP BY t.grid_id ORDER BY n DESC LIMIT 5) x
             JOIN grids g ON g.id = x.grid_id ORDER BY x.n DESC, g.name"
        ))
        .fetch_all(&self.pool)
        .await?;
        Ok((counts(&cats)?, counts(&grids)?))
    }

    /// (hour since `from`, reports) for the day starting at `from`.
    pub async fn command_hours(
        &self,
        community: Option<i64>,
        from: i64,
    ) -> Result<Vec<(i64, i64)>, sqlx::Error> {
        let to = from + 86_400_000;
        sqlx::query(&format!(
            "SELECT (t.created_at - {from}) / 3600000 AS h, COUNT(*) AS n FROM tickets t
             WHERE t.created_at >= {from} AND t.created_at < {to}{} GROUP BY (t.created_at - {from}) / 3600000",
            scope_sql(community)
        ))
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| Ok((r.try_get("h")?, r.try_get("n")?)))
        .collect()
    }

    /// Tickets since `from` in cells of 1/500°, the busiest first.
    pub async fn command_heat(
        &self,
        community: Option<i64>,
        from: i64,
    ) -> Result<Vec<HeatCell>, sqlx::Error> {
        let k = HEAT_CELLS_PER_DEGREE;
        sqlx::query(&format!(
            "SELECT CAST(t.lat * {k} AS BIGINT) AS y, CAST(t.lng * {k} AS BIGINT) AS x, COUNT(*) AS n
             FROM tickets t WHERE t.created_at >= {from}{}
             GROUP BY CAST(t.lat * {k} AS BIGINT), CAST(t.lng * {k} AS BIGINT)
             ORDER BY n DESC LIMIT {HEAT_MAX}",
            scope_sql(community)
        ))
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            let (y, x): (i64, i64) = (r.try_get("y")?, r.try_get("x")?);
            #[allow(clippy::cast_precision_loss)]
            Ok(HeatCell {
                lat: (y as f64 + 0.5) / k,
                lng: (x as f64 + 0.5) / k,
                n: r.try_get("n")?,
            })
        })
        .collect()
    }

    /// Volunteer shifts under way now (in the community's grids, or all), with who
    /// has checked in and not out.
    pub async fn command_patrols(
        &self,
        community: Option<i64>,
        now: i64,
    ) -> Result<Vec<Patrol>, sqlx::Error> {
        let scope = community.map_or_else(String::new, |c| {
            format!(" AND (g.id = {c} OR g.parent_id = {c})")
        });
        let rows = sqlx::query(&format!(
            "SELECT s.id, s.title, u.name FROM shifts s
             JOIN shift_signups x ON x.shift_id = s.id
             JOIN users u ON u.id = x.user_id
             LEFT JOIN grids g ON g.id = s.grid_id
             WHERE s.starts_at <= {now} AND s.ends_at > {now}
               AND x.checked_in_at IS NOT NULL AND x.checked_out_at IS NULL{scope}
             ORDER BY s.starts_at, s.id, u.name"
        ))
        .fetch_all(&self.pool)
        .await?;
        let mut out: Vec<(i64, Patrol)> = Vec::new();
        for r in &rows {
            let id: i64 = r.try_get("id")?;
            let name: String = r.try_get("name")?;
            match out.last_mut() {
                Some((last, p)) if *last == id => p.people.push(name),
                _ => out.push((
                    id,
                    Patrol {
                        title: r.try_get("title")?,
                        people: vec![name],
                    },
                )),
            }
        }
        Ok(out.into_iter().map(|(_, p)| p).collect())
    }
}
