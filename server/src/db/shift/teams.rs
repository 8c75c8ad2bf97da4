//! Volunteer teams and the team editor.
use crate::db::{Db, u32_col};
use app::domain::grid::GridId;
use app::domain::shift::{Team, TeamId, TeamMember};
use app::domain::user::{UserId, mask_phone};
use sqlx::Row;

impl Db {
    /// Active teams, optionally in some grids, by grid.
    pub async fn teams(&self, grids: Option<&[GridId]>) -> Result<Vec<Team>, sqlx::Error> {
        let grid_sql = grids
            .map(|g| format!(" AND {}", crate::db::resident::in_list("t.grid_id", g)))
            .unwrap_or_default();
        let rows = sqlx::query(&format!(
            "SELECT t.id, t.grid_id, g.name AS grid_name, t.name, COALESCE(u.name, '') AS leader,
                    (SELECT COUNT(*) FROM team_members m WHERE m.team_id = t.id) AS members,
                    t.active
             FROM teams t JOIN grids g ON g.id = t.grid_id LEFT JOIN users u ON u.id = t.leader_id
             WHERE 1 = 1{grid_sql}
             ORDER BY g.code, t.id"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Team {
                    id: TeamId(r.try_get("id")?),
                    grid: GridId(r.try_get("grid_id")?),
                    grid_name: r.try_get("grid_name")?,
                    name: r.try_get("name")?,
                    leader: r.try_get("leader")?,
                    members: u32_col(r, "members")?,
                    active: r.try_get::<i64, _>("active")? != 0,
                })
            })
            .collect()
    }

    /// The grid a team works in.
    pub async fn team_grid(&self, id: TeamId) -> Result<Option<GridId>, sqlx::Error> {
        let g: Option<i64> = sqlx::query_scalar("SELECT grid_id FROM teams WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await?;
        Ok(g.map(GridId))
    }
}

impl Db {
    /// A team (demo data and, later, the team editor).
    pub async fn insert_team(
        &self,
        grid: GridId,
        name: &str,
        leader: Option<UserId>,
        members: &[UserId],
    ) -> Result<TeamId, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO teams (grid_id, name, leader_id) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(grid.0)
        .bind(name)
        .bind(leader.map(|u| u.0))
        .fetch_one(&mut *tx)
        .await?;
        for m in members {
            sqlx::query("INSERT INTO team_members (team_id, user_id) VALUES ($1, $2)")
                .bind(id)
                .bind(m.0)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(TeamId(id))
    }
}

/// The team editor.
impl Db {
    pub async fn team_members(&self, team: TeamId) -> Result<Vec<TeamMember>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT u.id, u.name, u.phone, CASE WHEN t.leader_id = u.id THEN 1 ELSE 0 END AS leader
             FROM team_members m JOIN users u ON u.id = m.user_id JOIN teams t ON t.id = m.team_id
             WHERE m.team_id = $1 ORDER BY leader DESC, u.name, u.id",
        )
        .bind(team.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(TeamMember {
                    user: r.try_get("id")?,
                    name: r.try_get("name")?,
                    phone: mask_phone(&r.try_get::<String, _>("phone")?),
                    leader: r.try_get::<i64, _>("leader")? != 0,
                })
            })
            .collect()
    }

    pub async fn rename_team(&self, team: TeamId, name: &str) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE teams SET name = $2 WHERE id = $1")
            .bind(team.0)
            .bind(name.trim())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn set_team_active(&self, team: TeamId, on: bool) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE teams SET active = $2 WHERE id = $1")
            .bind(team.0)
            .bind(i64::from(on))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn add_team_member(&self, team: TeamId, user: UserId) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO team_members (team_id, user_id) VALUES ($1, $2)
             ON CONFLICT (team_id, user_id) DO NOTHING",
        )
        .bind(team.0)
        .bind(user.0)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Removes a member; a leader who leaves leaves the team without one.
    pub async fn remove_team_member(&self, team: TeamId, user: UserId) -> Result<(), sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM team_members WHERE team_id = $1 AND user_id = $2")
            .bind(team.0)
            .bind(user.0)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE teams SET leader_id = NULL WHERE id = $1 AND leader_id = $2")
            .bind(team.0)
            .bind(user.0)
            .execute(&mut *tx)
            .await?;
        tx.commit().await
    }

    /// Makes a member the leader; false when they are not a member.
    pub async fn set_team_leader(&self, team: TeamId, user: UserId) -> Result<bool, sqlx::Error> {
        Ok(sqlx::query(
            "UPDATE teams SET leader_id = $2 WHERE id = $1 AND EXISTS
                (SELECT 1 FROM team_members m WHERE m.team_id = $1 AND m.user_id = $2)",
        )
        .bind(team.0)
        .bind(user.0)
        .execute(&self.pool)
        .await?
        .rows_affected()
            == 1)
    }
}
