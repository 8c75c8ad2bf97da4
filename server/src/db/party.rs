//! The party organisation tree, its members, and the points per branch.
//! UNCOMPILED draft (session 8): check against db/study.rs conventions before use.
use super::Db;
use app::domain::party::{Org, OrgInput, OrgKind, OrgMember};
use sqlx::Row;

impl Db {
    /// Every organisation, parents before children.
    pub async fn orgs(&self) -> Result<Vec<Org>, sqlx::Error> {
        let rows = sqlx::query("SELECT id, parent_id, kind, name, grid_id FROM party_orgs ORDER BY id")
            .fetch_all(&self.pool)
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let Some(kind) = OrgKind::parse(&r.try_get::<String, _>("kind")?) else {
                continue;
            };
            out.push(Org {
                id: r.try_get("id")?,
                parent: r.try_get("parent_id")?,
                kind,
                name: r.try_get("name")?,
                grid: r.try_get("grid_id")?,
            });
        }
        Ok(out)
    }

    /// Writes an organisation; `None` when `input.id` names none.
    pub async fn save_org(&self, o: &OrgInput, at: i64) -> Result<Option<i64>, sqlx::Error> {
        match o.id {
            Some(id) => {
                let n = sqlx::query(
                    "UPDATE party_orgs SET parent_id = $2, kind = $3, name = $4, grid_id = $5
                     WHERE id = $1",
                )
                .bind(id)
                .bind(o.parent)
                .bind(o.kind.as_str())
                .bind(o.name.trim())
                .bind(o.grid)
                .execute(&self.pool)
                .await?
                .rows_affected();
                Ok((n > 0).then_some(id))
            }
            None => sqlx::query_scalar(
                "INSERT INTO party_orgs (parent_id, kind, name, grid_id, created_at)
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(o.parent)
            .bind(o.kind.as_str())
            .bind(o.name.trim())
            .bind(o.grid)
            .bind(at)
            .fetch_one(&self.pool)
            .await
            .map(Some),
        }
    }

    /// Every member of every branch and group, by organisation then name.
    pub async fn org_members(&self) -> Result<Vec<OrgMember>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT m.user_id, u.name, m.org_id, m.central FROM party_members m
             JOIN users u ON u.id = m.user_id ORDER BY m.org_id, u.name",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(OrgMember {
                    user: r.try_get("user_id")?,
                    name: r.try_get("name")?,
                    org: r.try_get("org_id")?,
                    central: r.try_get::<i64, _>("central")? != 0,
                })
            })
            .collect()
    }

    /// Puts a member in a branch or group (moving them from another), 中心户 or not.
    pub async fn set_org_member(
        &self,
        user: i64,
        org: i64,
        central: bool,
        at: i64,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO party_members (user_id, org_id, central, since) VALUES ($1, $2, $3, $4)
             ON CONFLICT (user_id) DO UPDATE SET org_id = excluded.org_id, central = excluded.central",
        )
        .bind(user)
        .bind(org)
        .bind(i64::from(central))
        .bind(at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn remove_org_member(&self, user: i64) -> Result<bool, sqlx::Error> {
        Ok(sqlx::query("DELETE FROM party_members WHERE user_id = $1")
            .bind(user)
            .execute(&self.pool)
            .await?
            .rows_affected()
            > 0)
    }

    /// Points since `from` per organisation its members sit in: `(org, members, points)`.
    /// Groups are folded into their branch by the caller (`branch_of`).
    pub async fn points_per_org(&self, from: i64) -> Result<Vec<(i64, u32, u32)>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT m.org_id, CAST(COUNT(DISTINCT m.user_id) AS BIGINT) AS members,
                    CAST(COALESCE(SUM(l.points), 0) AS BIGINT) AS points
             FROM party_members m
             LEFT JOIN points_ledger l ON l.user_id = m.user_id AND l.at >= $1
             GROUP BY m.org_id",
        )
        .bind(from)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get("org_id")?,
                    u32::try_from(r.try_get::<i64, _>("members")?).unwrap_or(0),
                    u32::try_from(r.try_get::<i64, _>("points")?).unwrap_or(0),
                ))
            })
            .collect()
    }
}
